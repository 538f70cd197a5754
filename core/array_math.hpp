#pragma once

// Elementwise functions of arrays that Eigen evaluates one element at a time for doubles, or
// that overflow when written naively, in vectorised and stable forms shared by the tape's ops
// and by the methods that apply them to plain arrays.

#include "core/types.hpp"

namespace nmfbench {

// log(1 + u) for finite u > -1, within a few ulps of std::log1p. Eigen has no packet log1p for
// doubles, and the scalar loop dominated the steps of networks with softplus outputs.
Array log1p(const Array& u);
// log(1 + e^x) = max(x, 0) + log1p(e^-|x|): never overflows.
Array softplus(const Array& x);
// 1 / (1 + e^-x), from e^-|x| so that neither branch overflows.
Array sigmoid(const Array& x);

}  // namespace nmfbench
