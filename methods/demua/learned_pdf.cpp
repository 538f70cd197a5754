#include "methods/demua/learned_pdf.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace nmfbench::demua {
namespace {

constexpr Real kPanel = 1.0 / 8;
// Gauss-Legendre nodes and weights on [-1, 1], 8 points (exact for degree 15).
constexpr std::array<Real, 8> kNodes{-0.9602898564975363, -0.7966664774136267, -0.5255324099163290,
                                     -0.1834346424956498, 0.1834346424956498,  0.5255324099163290,
                                     0.7966664774136267,  0.9602898564975363};
constexpr std::array<Real, 8> kWeights{0.1012285362903763, 0.2223810344533745, 0.3137066458778873,
                                       0.3626837833783620, 0.3626837833783620, 0.3137066458778873,
                                       0.2223810344533745, 0.1012285362903763};

// ∫_{from_i}^{to_i} zeta(e^u) e^u du for each i, by one Gauss-Legendre rule per interval
// (every interval at most one panel wide): one batched zeta evaluation for all of them.
Signal integrate(const Phi& phi, const Signal& from, const Signal& to) {
  const Eigen::Index n = from.size();
  Array u(8, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (int k = 0; k < 8; ++k) u(k, i) = (from[i] + to[i]) / 2 + (to[i] - from[i]) / 2 * kNodes[k];
  }
  const Array s = u.exp();
  const Array integrand = phi.zeta(s) * s;
  Signal result(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    Real sum = 0;
    for (int k = 0; k < 8; ++k) sum += kWeights[k] * integrand(k, i);
    result[i] = sum * (to[i] - from[i]) / 2;
  }
  return result;
}

// The integral from 0 to each panel boundary u = first + j kPanel, j = 0..panels.
struct CumulativeIntegral {
  Real first;
  Signal values;

  CumulativeIntegral(const Phi& phi, Real lowest, Real highest)
      : first(std::floor(std::min(lowest, 0.0) / kPanel) * kPanel) {
    const auto panels =
        static_cast<Eigen::Index>(std::ceil((std::max(highest, 0.0) - first) / kPanel)) + 1;
    const Signal starts = Signal::LinSpaced(panels, first, first + (panels - 1) * kPanel);
    const Signal pieces = integrate(phi, starts, starts.array() + kPanel);
    values.resize(panels + 1);
    values[0] = 0;
    for (Eigen::Index j = 0; j < panels; ++j) values[j + 1] = values[j] + pieces[j];
    // Shift so that the integral is measured from u = 0 (r = 1), which is a panel boundary.
    values.array() -= values[static_cast<Eigen::Index>(std::lround(-first / kPanel))];
  }
  Real at_boundary(Eigen::Index j) const { return values[j]; }
  Eigen::Index panel_of(Real u) const {
    return std::clamp<Eigen::Index>(static_cast<Eigen::Index>(std::floor((u - first) / kPanel)), 0,
                                    values.size() - 2);
  }
};

}  // namespace

Array neg_log_density(const Phi& phi, const Array& r) {
  if (r.size() == 0) return r;
  if (!(r > 0).all() || !all_finite(r)) throw Error("learned PDF: r must be finite and > 0");
  const Array u = r.log();
  const CumulativeIntegral cumulative(phi, u.minCoeff(), u.maxCoeff());
  Signal from(r.size()), to(r.size());
  std::vector<Eigen::Index> panel(static_cast<std::size_t>(r.size()));
  for (Eigen::Index i = 0; i < r.size(); ++i) {
    panel[static_cast<std::size_t>(i)] = cumulative.panel_of(u(i));
    from[i] = cumulative.first + static_cast<Real>(panel[static_cast<std::size_t>(i)]) * kPanel;
    to[i] = u(i);
  }
  const Signal partial = integrate(phi, from, to);
  Array result(r.rows(), r.cols());
  for (Eigen::Index i = 0; i < r.size(); ++i)
    result(i) = cumulative.at_boundary(panel[static_cast<std::size_t>(i)]) + partial[i];
  return result;
}

LearnedPdf learned_pdf(const Phi& phi, const Signal& magnitudes) {
  // ∫_0^inf f(r) dr in u = log r over [-40, 80]: beyond, the integrand e^u f(e^u) is below
  // e^-40 for every density whose tail is heavier than r^-1 only by a margin (t with nu > 0.3).
  constexpr Real kLow = -40, kHigh = 80;
  const auto nodes = static_cast<Eigen::Index>((kHigh - kLow) / kPanel) + 1;
  const Signal u = Signal::LinSpaced(nodes, kLow, kHigh);
  const Signal log_integrand = u.array() - neg_log_density(phi, u.array().exp()).col(0);
  const Real peak = log_integrand.maxCoeff();
  // Trapezoid in u on the panel grid; the integrand is smooth and decays at both ends.
  const Signal scaled = (log_integrand.array() - peak).exp();
  const Real integral = kPanel * (scaled.sum() - (scaled[0] + scaled[nodes - 1]) / 2);
  const Real log_normaliser = std::log(std::numbers::pi) + peak + std::log(integral);

  LearnedPdf pdf;
  pdf.magnitude = magnitudes;
  const Array r = magnitudes.array().square();
  pdf.log_pdf = -neg_log_density(phi, r).col(0).array() - log_normaliser;
  pdf.gaussian_log_pdf = -std::log(std::numbers::pi) - r;
  return pdf;
}

Signal default_pdf_magnitudes() {
  return Signal::LinSpaced(200, std::log(1e-3), std::log(1e2)).array().exp();
}

Json LearnedPdf::to_json() const {
  auto list = [](const Signal& s) {
    return Json(std::vector<Real>(s.data(), s.data() + s.size()));
  };
  return {{"magnitude", list(magnitude)},
          {"log_pdf", list(log_pdf)},
          {"gaussian_log_pdf", list(gaussian_log_pdf)}};
}

}  // namespace nmfbench::demua
