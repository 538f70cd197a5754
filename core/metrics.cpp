#include "core/metrics.hpp"

#include <cmath>

namespace nmfbench {

void check_comparable(const Signal& reference, const Signal& estimate, const std::string& what) {
  if (reference.size() == 0) throw Error(what + ": the reference is empty");
  if (reference.size() != estimate.size()) {
    throw Error(what + ": the reference has " + std::to_string(reference.size()) +
                " samples but the estimate has " + std::to_string(estimate.size()) +
                "; expected equal lengths");
  }
  if (!all_finite(reference)) throw Error(what + ": the reference contains NaN or infinity");
  if (!all_finite(estimate)) throw Error(what + ": the estimate contains NaN or infinity");
}

Real si_sdr(const Signal& reference, const Signal& estimate) {
  check_comparable(reference, estimate, "SI-SDR");
  // Lazy expressions: the zero-mean signals are never materialised.
  const auto s = reference - reference.mean();
  const auto e = estimate - estimate.mean();
  const Real energy = s.square().sum();
  if (energy == 0) throw Error("SI-SDR: the reference is silent (constant), SI-SDR is undefined");
  const Real a = (s * e).sum() / energy;
  const Real distortion = (a * s - e).square().sum();
  return 10 * std::log10(a * a * energy / distortion);
}

Real si_sdr_improvement(const Signal& reference, const Signal& estimate, const Signal& mixture) {
  return si_sdr(reference, estimate) - si_sdr(reference, mixture);
}

Real loss_ma(const Signal& reference, const Signal& estimate) {
  check_comparable(reference, estimate, "loss M_a");
  const Real cross = (reference * estimate).sum();
  if (cross == 0) throw Error("loss M_a: the estimate is orthogonal to the reference (s^T e = 0)");
  return reference.square().sum() * estimate.square().sum() / (cross * cross) - 1;
}

}  // namespace nmfbench
