#include "core/fast_pow.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace nmfbench {
namespace {

// log(2) in two parts, the high one with 32 significant bits so that n times it is exact.
constexpr Real kLog2High = 6.93147180369123816490e-01;
constexpr Real kLog2Low = 1.90821492927058770002e-10;
// Adding it to a real below 2^51 in magnitude rounds to an integer held in its low bits.
constexpr Real kRoundingShift = 0x1.8p52;
// Powers within e^+-708 are normal doubles.
constexpr Real kExpLimit = 708;

#if defined(__AVX512F__)
// The same power from tables, with no division and a degree-7 exponential instead of 13: 1.3
// times as fast. Each step reads a 16-entry table by one in-register permute (vpermt2pd); the
// same tables read by gathers are slower than the code without them.
//   log: x = 2^k m with m in [0.75, 1.5). m's top four mantissa bits pick c with
//        |m/c - 1| <= 1/32, and log(m) = log(1 + z) - log(1/c) with z = m (1/c) - 1, exact
//        but for one rounding by FMA, and a degree-10 Taylor polynomial (truncation < 3e-18).
//   exp: t = (16 n + j) log(2)/16 + r with |r| <= log(2)/32, and exp(t) = 2^n 2^(j/16) e^r
//        with a degree-7 Taylor polynomial (truncation < 2e-18) and vscalefpd for 2^n.
struct PowTables {
  alignas(64) Real inverse_centre[16];
  alignas(64) Real log_centre[16];
  alignas(64) Real exp2_sixteenths[16];
};

const PowTables& pow_tables() {
  static const PowTables tables = [] {
    PowTables t{};
    for (int i = 0; i < 16; ++i) {
      // Entries 0-7 cover m in [1, 1.5) in steps of 1/16; entries 8-15 cover [0.75, 1), where
      // m is half a mantissa in [1.5, 2), in steps of 1/32.
      const Real low = i < 8 ? 1 + i / 16.0 : (1 + i / 16.0) / 2;
      const Real width = i < 8 ? 1 / 16.0 : 1 / 32.0;
      t.inverse_centre[i] = 1 / (low + width / 2);
      t.log_centre[i] = -std::log(t.inverse_centre[i]);
      t.exp2_sixteenths[i] = std::exp2(i / 16.0);
    }
    return t;
  }();
  return tables;
}

// table[index & 15] per lane.
__m512d lookup(const Real* table, __m512i index) {
  return _mm512_permutex2var_pd(_mm512_load_pd(table), index, _mm512_load_pd(table + 8));
}

// Horner's rule, highest degree first.
template <std::size_t N>
__m512d horner(__m512d x, const Real (&coefficients)[N]) {
  __m512d p = _mm512_set1_pd(coefficients[0]);
  for (std::size_t i = 1; i < N; ++i) p = _mm512_fmadd_pd(p, x, _mm512_set1_pd(coefficients[i]));
  return p;
}

// For positive normal x.
__m512d log_8(__m512d x, const PowTables& t) {
  const __m512d m = _mm512_getmant_pd(x, _MM_MANT_NORM_p75_1p5, _MM_MANT_SIGN_src);
  const __m512d k = _mm512_sub_pd(_mm512_getexp_pd(x), _mm512_getexp_pd(m));
  const __m512i index = _mm512_srli_epi64(_mm512_castpd_si512(m), 48);
  const __m512d z = _mm512_fmsub_pd(m, lookup(t.inverse_centre, index), _mm512_set1_pd(1));
  // log(1 + z) = z + z^2 q(z), q's coefficients -1/2, 1/3, ..., -1/10.
  constexpr Real q[] = {-1.0 / 10, 1.0 / 9,  -1.0 / 8, 1.0 / 7, -1.0 / 6,
                        1.0 / 5,   -1.0 / 4, 1.0 / 3,  -1.0 / 2};
  __m512d log_m = _mm512_fmadd_pd(_mm512_mul_pd(z, z), horner(z, q), z);
  log_m = _mm512_add_pd(_mm512_fmadd_pd(k, _mm512_set1_pd(kLog2Low), log_m),
                        lookup(t.log_centre, index));
  return _mm512_fmadd_pd(k, _mm512_set1_pd(kLog2High), log_m);
}

// For |t| < 708.
__m512d exp_8(__m512d t, const PowTables& tables) {
  const __m512d shift = _mm512_set1_pd(kRoundingShift);
  const __m512d shifted = _mm512_fmadd_pd(t, _mm512_set1_pd(16 * std::numbers::log2e), shift);
  const __m512d sixteenths = _mm512_sub_pd(shifted, shift);  // 16 n + j, also shifted's low bits
  __m512d r = _mm512_fnmadd_pd(sixteenths, _mm512_set1_pd(kLog2High / 16), t);
  r = _mm512_fnmadd_pd(sixteenths, _mm512_set1_pd(kLog2Low / 16), r);
  // e^r - 1 = r p(r), p's coefficients 1/7!, ..., 1/2, 1.
  constexpr Real p[] = {1.0 / 5040, 1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 0.5, 1.0};
  const __m512d exp2_j = lookup(tables.exp2_sixteenths, _mm512_castpd_si512(shifted));
  const __m512d scaled = _mm512_fmadd_pd(exp2_j, _mm512_mul_pd(horner(r, p), r), exp2_j);
  return _mm512_scalef_pd(scaled, _mm512_mul_pd(sixteenths, _mm512_set1_pd(1.0 / 16)));
}

__m512d with_std_pow(__m512d x, Real a, __m512d result, __mmask8 lanes) {
  alignas(64) Real xs[8], results[8];
  _mm512_store_pd(xs, x);
  _mm512_store_pd(results, result);
  for (int lane = 0; lane < 8; ++lane)
    if (lanes >> lane & 1) results[lane] = std::pow(xs[lane], a);
  return _mm512_load_pd(results);
}

// Lanes with x not a positive normal number or a log(x) not within +-708 (rare: zeros,
// subnormals, infinities, NaN, extreme powers) are redone by std::pow.
__m512d pow_8(__m512d x, Real a, const PowTables& tables) {
  const __m512d t = _mm512_mul_pd(_mm512_set1_pd(a), log_8(x, tables));
  const __m512d result = exp_8(t, tables);
  const __mmask8 normal =
      _mm512_cmp_pd_mask(x, _mm512_set1_pd(std::numeric_limits<Real>::min()), _CMP_GE_OQ);
  const __mmask8 inside =
      _mm512_mask_cmp_pd_mask(normal, _mm512_abs_pd(t), _mm512_set1_pd(kExpLimit), _CMP_LT_OQ);
  if (inside != 0xff) [[unlikely]]
    return with_std_pow(x, a, result, static_cast<__mmask8>(~inside));
  return result;
}

}  // namespace

void pow_elementwise(const Real* x, Real a, Real* out, Eigen::Index n) {
  const PowTables& tables = pow_tables();
  for (Eigen::Index i = 0; i < n; i += 8) {
    // The last lanes are masked, the missing ones read as 1.
    const auto lanes = static_cast<__mmask8>(n - i >= 8 ? 0xff : (1u << (n - i)) - 1);
    const __m512d xs = lanes == 0xff ? _mm512_loadu_pd(x + i)
                                     : _mm512_mask_loadu_pd(_mm512_set1_pd(1), lanes, x + i);
    const __m512d result = pow_8(xs, a, tables);
    if (lanes == 0xff)
      _mm512_storeu_pd(out + i, result);
    else
      _mm512_mask_storeu_pd(out + i, lanes, result);
  }
}

#else

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
  return kd * kLog2High + ((f - (half_f2 - s * (half_f2 + odd + even))) + kd * kLog2Low);
}

// exp(t) for |t| < 708: t = n log 2 + r with |r| <= log(2)/2, a degree-13 Taylor polynomial
// in r (truncation below 4e-18), and n added to the exponent bits.
inline Real exp_bounded(Real t) {
  const Real shifted = t * std::numbers::log2e + kRoundingShift;
  const Real n = shifted - kRoundingShift;
  const std::int64_t n_bits =
      std::bit_cast<std::int64_t>(shifted) - std::bit_cast<std::int64_t>(kRoundingShift);
  const Real r = (t - n * kLog2High) - n * kLog2Low;
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
  // Inputs whose log is in range and whose power stays within e^+-708; the rest (rare:
  // zeros, non-finite values, extreme ratios) are redone by std::pow. Chunks go through a
  // local buffer so that the redo still sees x when out is x.
  const Real bound = a == 0 ? kExpLimit : std::min(kExpLimit, kExpLimit / std::abs(a));
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

#endif

Array pow_elementwise(const Array& x, Real a) {
  Array out(x.rows(), x.cols());
  pow_elementwise(x.data(), a, out.data(), x.size());
  return out;
}

}  // namespace nmfbench
