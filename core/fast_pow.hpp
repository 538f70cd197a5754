#pragma once

#include "core/types.hpp"

namespace nmfbench {

// out[i] = x[i]^a for a fixed exponent, as exp(a log(x)) with exponents handled on the bits.
// On AVX-512 both steps read 16-entry tables by register permutes (no division, Taylor
// polynomials of degree 10 and 7); elsewhere, in a form the compiler vectorises, fdlibm's
// logarithm (one division, a degree-7 polynomial) and a degree-13 Taylor exponential, 1.3
// times as slow. Either way the relative error against std::pow is within 4 (1 + |a log x|)
// ulp (tested): a few ulp for the ratios of spectrograms. Zeros, subnormals, infinities, NaN
// and results beyond e^708 go through std::pow. Eigen's pow() is a scalar std::pow per
// element, and its exp(a * log(x)) costs 2.3 times as much (1.8 times the portable code).
// `out` may be `x`.
void pow_elementwise(const Real* x, Real a, Real* out, Eigen::Index n);

// The same for a whole array.
Array pow_elementwise(const Array& x, Real a);

}  // namespace nmfbench
