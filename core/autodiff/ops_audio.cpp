#include <cmath>
#include <numbers>

#include "core/autodiff/ops.hpp"
#include "core/metrics.hpp"

namespace nmfbench::ad {
namespace {

void check_estimate(const Signal& reference, const Var& estimate, const char* name) {
  if (estimate.cols() != 1 || estimate.rows() != reference.size()) {
    throw Error(std::string("autodiff ") + name + ": the estimate is " +
                std::to_string(estimate.rows()) + "x" + std::to_string(estimate.cols()) +
                ", expected a column of " + std::to_string(reference.size()) +
                " samples like the reference");
  }
}

}  // namespace

ComplexVar apply_mask(const Var& mask, const ComplexArray& spectrogram) {
  Tape& tape = mask.tape();
  return {mask * tape.constant(spectrogram.real()), mask * tape.constant(spectrogram.imag())};
}

ComplexVar apply_mask(const ComplexVar& mask, const ComplexArray& spectrogram) {
  Tape& tape = mask.re.tape();
  const Var xr = tape.constant(spectrogram.real());
  const Var xi = tape.constant(spectrogram.imag());
  return {mask.re * xr - mask.im * xi, mask.re * xi + mask.im * xr};
}

Var istft(const ComplexVar& spectrogram, const Stft& stft, Eigen::Index length) {
  ComplexArray x(spectrogram.re.rows(), spectrogram.re.cols());
  x.real() = spectrogram.re.value();
  x.imag() = spectrogram.im.value();
  const Eigen::Index frames = x.cols();
  const Var re = spectrogram.re, im = spectrogram.im;
  return re.tape().record(stft.inverse(x, length), {re, im},
                          [=, &stft](Tape& t, const Array&, const Array& g) {
                            const ComplexArray adjoint = stft.inverse_adjoint(g.col(0), frames);
                            t.accumulate(re.id(), adjoint.real());
                            t.accumulate(im.id(), adjoint.imag());
                          });
}

Var si_sdr(const Signal& reference, const Var& estimate) {
  check_estimate(reference, estimate, "si_sdr");
  const Real value = nmfbench::si_sdr(reference, estimate.value().col(0));
  const Signal s = reference - reference.mean();
  return estimate.tape().record(
      Array::Constant(1, 1, value), {estimate}, [=](Tape& t, const Array&, const Array& g) {
        // With c = <s, e>, P = |s|^2: target T = c^2 / P, distortion D = |(c / P) s - e|^2, and
        // SI-SDR = 10 log10(T / D); e is zero-meaned, which only removes the gradient's mean
        // (already zero for both terms below).
        const Signal e = estimate.value().col(0) - estimate.value().mean();
        const Real c = (s * e).sum(), P = s.square().sum();
        const Real T = c * c / P;
        const Signal residual = e - (c / P) * s;
        const Real D = residual.square().sum();
        const Real k = 10 / std::numbers::ln10;
        const Signal grad = k * ((2 * c / P / T) * s - (2 / D) * residual);
        t.accumulate(estimate.id(), g(0, 0) * grad);
      });
}

Var loss_ma(const Signal& reference, const Var& estimate) {
  check_estimate(reference, estimate, "loss_ma");
  const Real value = nmfbench::loss_ma(reference, estimate.value().col(0));
  return estimate.tape().record(
      Array::Constant(1, 1, value), {estimate}, [=](Tape& t, const Array&, const Array& g) {
        // M = |s|^2 |e|^2 / c^2 - 1 with c = <s, e>:  dM/de = 2 |s|^2 (c e - |e|^2 s) / c^3.
        const auto e = estimate.value().col(0);
        const Real c = (reference * e).sum(), S = reference.square().sum(), E = e.square().sum();
        t.accumulate(estimate.id(), g(0, 0) * 2 * S * (c * e - E * reference) / (c * c * c));
      });
}

Var mse(const Var& a, const Var& b) {
  return mean(square(a - b));
}

Var kl_divergence(const Var& a, const Var& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols())
    throw Error("autodiff kl_divergence: shapes differ");
  const Array& A = a.value();
  const Array& B = b.value();
  const Real value = ((A > 0).select(A * (A / B).log(), Real(0)) - A + B).sum();
  return a.tape().record(Array::Constant(1, 1, value), {a, b},
                         [=](Tape& t, const Array&, const Array& g) {
                           const Array& A = a.value();
                           const Array& B = b.value();
                           if (a.requires_grad())
                             t.accumulate(a.id(), g(0, 0) * (A > 0).select((A / B).log(), Real(0)));
                           if (b.requires_grad()) t.accumulate(b.id(), g(0, 0) * (1 - A / B));
                         });
}

}  // namespace nmfbench::ad
