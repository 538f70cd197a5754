#pragma once

#include "core/types.hpp"

namespace nmfbench {

// out[i] = x[i]^a for a fixed exponent, in a form the compiler vectorises: fdlibm's logarithm
// (one division and a degree-7 polynomial on the mantissa) and a degree-13 Taylor
// exponential, with exponents handled on the bits. Its relative error against std::pow is
// within 4 (1 + |a log x|) ulp (tested): a few ulp for the ratios of spectrograms. Zeros,
// subnormals, infinities, NaN and results beyond about e^700 go through std::pow. Eigen's
// pow() is a scalar std::pow per element, and its exp(a * log(x)) costs 1.6 times as much.
// `out` may be `x`.
void pow_elementwise(const Real* x, Real a, Real* out, Eigen::Index n);

// The same for a whole array.
Array pow_elementwise(const Array& x, Real a);

}  // namespace nmfbench
