#pragma once

// Functions of whole arrays shared by the tape's ops and the methods. The elementwise ones are
// those that Eigen evaluates one element at a time for doubles, or that overflow when written
// naively, in vectorised and stable forms. Each is one pass over its input, a chunk at a time,
// in the fixed parts of core/parts.hpp on large arrays: the results do not depend on the
// number of threads.

#include <vector>

#include "core/parts.hpp"

namespace nmfbench {

// log(1 + u) for finite u > -1, within a few ulps of std::log1p. Eigen has no packet log1p for
// doubles, and the scalar loop dominated the steps of networks with softplus outputs.
Array log1p(const Array& u);
// log(1 + e^x) = max(x, 0) + log1p(e^-|x|): never overflows.
Array softplus(const Array& x);
// The same, and its derivative sigmoid(x) into `derivative`, from the same e^-|x|: the tape
// keeps it for the backward pass instead of computing e^-|x| again there.
Array softplus(const Array& x, Array& derivative);
// The same on a chunk of an array's elements (core/parts.hpp's elements()), for fused passes.
void softplus(const Eigen::Map<const Elements>& x, Eigen::Map<Elements> y,
              Eigen::Map<Elements> derivative);
// 1 / (1 + e^-x), from e^-|x| so that neither branch overflows.
Array sigmoid(const Array& x);

// The parts' columns one after the other (parts of equal row counts).
Array side_by_side(const std::vector<Array>& parts);

}  // namespace nmfbench
