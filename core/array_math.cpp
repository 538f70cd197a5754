#include "core/array_math.hpp"

#include <limits>

namespace nmfbench {

// Eigen's select() works one element at a time, by the scalar functions of whatever it is
// given: the expensive parts are evaluated before it, or written without it.

Array log1p(const Array& u) {
  // Where 1 + u does not round to 1, the factor u / ((1 + u) - 1) undoes the rounding of
  // 1 + u (Goldberg 1991, Theorem 4); where it does, log1p(u) = u to double precision.
  const Array shifted = 1 + u;
  const Array ratio = shifted.log() / (shifted - 1);
  return (shifted == 1).select(u, u * ratio);
}

Array softplus(const Array& x) {
  // Qualified, and on an array: an Eigen expression would pick Eigen's scalar log1p.
  const Array tail = (-x.abs()).exp();
  return x.max(Real(0)) + nmfbench::log1p(tail);
}

Array sigmoid(const Array& x) {
  // e^min(x, 0) / (1 + e^-|x|): 1 / (1 + e^-x) for x >= 0, e^x / (1 + e^x) below, where
  // e^-|x| and e^x are the same number.
  return x.min(Real(0)).exp() / (1 + (-x.abs()).exp());
}

}  // namespace nmfbench
