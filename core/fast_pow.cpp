#include "core/fast_pow.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace nmfbench {
namespace {

// log(x) for normal positive x, as fdlibm's e_log.c: x = 2^k m with m in [sqrt(1/2), sqrt(2)),
// log(m) = f - (f^2/2 - s (f^2/2 + R(s^2))) with f = m - 1 and s = f / (2 + f).
inline Real log_normal(Real x) {
  constexpr std::uint64_t kSqrtHalfBits = 0x3fe6a09e667f3bcdULL;
  const auto bits = std::bit_cast<std::uint64_t>(x);
  const std::int64_t k = static_cast<std::int64_t>(bits - kSqrtHalfBits) >> 52;
  const Real m = std::bit_cast<Real>(bits - (static_cast<std::uint64_t>(k) << 52));
  const Real f = m - 1, s = f / (2 + f), z = s * s, w = z * z;
  const Real odd = w * (3.999999999940941908e-01 +
                        w * (2.222219843214978396e-01 + w * 1.531383769920937332e-01));
  const Real even = z * (6.666666666666735130e-01 +
                         w * (2.857142874366239149e-01 +
                              w * (1.818357216161805012e-01 + w * 1.479819860511658591e-01)));
  const Real half_f2 = 0.5 * f * f;
  const auto kd = static_cast<Real>(k);
  return kd * 6.93147180369123816490e-01 +
         ((f - (half_f2 - s * (half_f2 + odd + even))) + kd * 1.90821492927058770002e-10);
}

// exp(t) for |t| < 700: t = n log 2 + r with |r| <= log(2)/2, a degree-13 Taylor polynomial
// in r (truncation below 4e-18), and n added to the exponent bits.
inline Real exp_bounded(Real t) {
  constexpr Real kShift = 0x1.8p52;  // adding it rounds to an integer held in the low bits
  const Real shifted = t * 1.4426950408889634 + kShift;
  const Real n = shifted - kShift;
  const std::int64_t n_bits =
      std::bit_cast<std::int64_t>(shifted) - std::bit_cast<std::int64_t>(kShift);
  const Real r = (t - n * 6.93147180369123816490e-01) - n * 1.90821492927058770002e-10;
  constexpr Real c[] = {1.0 / 6227020800,
                        1.0 / 479001600,
                        1.0 / 39916800,
                        1.0 / 3628800,
                        1.0 / 362880,
                        1.0 / 40320,
                        1.0 / 5040,
                        1.0 / 720,
                        1.0 / 120,
                        1.0 / 24,
                        1.0 / 6,
                        0.5,
                        1.0,
                        1.0};
  Real p = c[0];
#pragma GCC unroll 13
  for (int i = 1; i < 14; ++i) p = p * r + c[i];
  return std::bit_cast<Real>(std::bit_cast<std::uint64_t>(p) +
                             (static_cast<std::uint64_t>(n_bits) << 52));
}

}  // namespace

void pow_elementwise(const Real* x, Real a, Real* out, Eigen::Index n) {
  // Inputs whose log is in range and whose power stays within e^+-700; the rest (rare:
  // zeros, non-finite values, extreme ratios) are redone by std::pow. Chunks go through a
  // local buffer so that the redo still sees x when out is x.
  const Real bound = a == 0 ? 700 : 700 / std::abs(a);
  const Real low = std::max(std::numeric_limits<Real>::min(), std::exp(-bound));
  const Real high = std::min(std::numeric_limits<Real>::max(), std::exp(bound));
  constexpr Eigen::Index kChunk = 64;
  Real chunk[kChunk];
  for (Eigen::Index start = 0; start < n; start += kChunk) {
    const Eigen::Index size = std::min(kChunk, n - start);
    const Real* in = x + start;
    int outside = 0;
    for (Eigen::Index i = 0; i < size; ++i) {
      const bool inside = (in[i] > low) & (in[i] < high);  // no branch: it vectorises
      outside += !inside;
      // Clamped so that every lane computes something harmless; NaN lanes stay NaN.
      chunk[i] = exp_bounded(a * log_normal(std::min(std::max(in[i], low), high)));
    }
    for (Eigen::Index i = 0; outside > 0 && i < size; ++i)
      if (!(in[i] > low && in[i] < high)) chunk[i] = std::pow(in[i], a);
    std::copy(chunk, chunk + size, out + start);
  }
}

Array pow_elementwise(const Array& x, Real a) {
  Array out(x.rows(), x.cols());
  pow_elementwise(x.data(), a, out.data(), x.size());
  return out;
}

}  // namespace nmfbench
