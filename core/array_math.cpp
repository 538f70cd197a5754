#include "core/array_math.hpp"

namespace nmfbench {
namespace {

// Eigen's select() works one element at a time, by the scalar functions of whatever it is
// given: the expensive parts are evaluated before it, into chunk-sized temporaries.
using In = Eigen::Map<const Elements>;
using Out = Eigen::Map<Elements>;

// out = f(in) chunk by chunk; f(in_chunk, out_chunk) writes out_chunk.
template <typename F>
Array elementwise(const Array& in, F f) {
  Array out(in.rows(), in.cols());
  for_each_chunk(in.size(), [&](Eigen::Index first, Eigen::Index size) {
    Out o = elements(out, first, size);
    f(elements(in, first, size), o);
  });
  return out;
}

// Where 1 + u does not round to 1, the factor u / ((1 + u) - 1) undoes the rounding of 1 + u
// (Goldberg 1991, Theorem 4); where it does, log1p(u) = u to double precision.
template <typename U>
Chunk log1p_chunk(const U& u, const Chunk& shifted) {
  const Chunk ratio = shifted.log() / (shifted - 1);
  return (shifted == 1).select(u, u * ratio);
}

}  // namespace

Array log1p(const Array& u) {
  return elementwise(u, [](const In& in, Out& out) {
    const Chunk shifted = 1 + in;
    out = log1p_chunk(in, shifted);
  });
}

Array softplus(const Array& x) {
  return elementwise(x, [](const In& in, Out& out) {
    const Chunk tail = (-in.abs()).exp();
    out = in.max(Real(0)) + log1p_chunk(tail, 1 + tail);
  });
}

void softplus(const In& x, Out y, Out derivative) {
  const Chunk tail = (-x.abs()).exp();
  const Chunk shifted = 1 + tail;
  y = x.max(Real(0)) + log1p_chunk(tail, shifted);
  // e^min(x, 0) is e^-|x| below 0 and 1 above, as in sigmoid().
  const Chunk numerator = (x < 0).select(tail, Real(1));
  derivative = numerator / shifted;
}

Array softplus(const Array& x, Array& derivative) {
  Array y(x.rows(), x.cols());
  derivative.resize(x.rows(), x.cols());
  for_each_chunk(x.size(), [&](Eigen::Index first, Eigen::Index size) {
    softplus(elements(x, first, size), elements(y, first, size), elements(derivative, first, size));
  });
  return y;
}

Array sigmoid(const Array& x) {
  // e^min(x, 0) / (1 + e^-|x|): 1 / (1 + e^-x) for x >= 0, e^x / (1 + e^x) below, where
  // e^-|x| and e^x are the same number.
  return elementwise(
      x, [](const In& in, Out& out) { out = in.min(Real(0)).exp() / (1 + (-in.abs()).exp()); });
}

Array side_by_side(const std::vector<Array>& parts) {
  Eigen::Index cols = 0;
  for (const auto& p : parts) cols += p.cols();
  Array out(parts.front().rows(), cols);
  for (Eigen::Index at = 0; const auto& p : parts) {
    out.middleCols(at, p.cols()) = p;
    at += p.cols();
  }
  return out;
}

}  // namespace nmfbench
