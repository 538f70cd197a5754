#pragma once

// The building blocks of deep NMF (paper 001, eqs. 3, 4, 8, 9) and of their multiplicative
// back-propagation (sec. 2), as ../shared/reference/deepnmf/deepnmf_ref.py defines them: one
// update layer H = A o num / den with the intermediates its backward pass needs, the
// Wiener-like output layer, and the split of a gradient into non-negative parts through each.
// The floors are sparseNMF.m's (kFloor on W~ H and on the denominator), and a floored
// quantity passes no gradient where its floor is active.

#include <vector>

#include "core/types.hpp"

namespace nmfbench::deepnmf {

inline constexpr Real kFloor = 1e-9;

// W~ = W with unit-l2 columns, and the norms (1 x R) its backward pass divides by.
struct NormalizedBases {
  Array w, norm;
};
NormalizedBases normalize_columns(const Array& w);

// A gradient as two non-negative parts, gradient = positive - negative.
struct SplitGradient {
  Array positive, negative;
};

// W~ as the update layers read it: W~ and W~^T in storage, because direct_product reads its
// left operand's columns in place (W~^T X from W~^T is 1.15x faster at the tied layers' shapes
// than (X^T W~)^T, which also transposes X), and W~'s column sums, the denominator of every
// frame for b = 1, less mu. Made once for every layer that shares W~.
struct LayerBases {
  Array w, w_t, sums;
};
LayerBases layer_bases(Array w);

// What one update layer keeps for its backward pass.
struct LayerCache {
  Array l_raw, pm, num, den_raw, den;
};

// One multiplicative update of the activations (eq. 3 / 8) with fixed normalised bases:
//   L = max(W~ A, flr), num = W~^T (M o L^(b-2)), den = max(W~^T L^(b-1) + mu, flr),
//   H = A o num / den.
Array update_layer(const LayerBases& bases, const Eigen::Ref<const Array>& a,
                   const Eigen::Ref<const Array>& m, Real beta, Real mu, LayerCache& cache);
// The same keeping nothing, a tile of frames at a time: a tile's L and M o L^(b-2) stay in
// cache between the two products, where the whole arrays (9F x frames for the tied layers)
// went out to memory and back.
Array update_layer(const LayerBases& bases, const Eigen::Ref<const Array>& a,
                   const Eigen::Ref<const Array>& m, Real beta, Real mu);

// The split backward pass of one update layer for one non-negative part g of dE/dH: the
// parts of dE/dA and of dE/dW~, each term going to the part its coefficient's sign says.
struct LayerParts {
  SplitGradient a, w;
};
LayerParts update_layer_parts(const Array& g, const LayerBases& bases, const Array& a,
                              const Array& m, const LayerCache& cache, Real beta);

// The Wiener-like output (eq. 4 / 9) for sources that are consecutive blocks of `sizes`
// columns of W~ (rows of H): P^l = W~^l H^l and Q = max(sum_l P^l, flr); the estimate of
// source l is P^l / Q o X.
struct WienerParts {
  std::vector<Array> p;
  Array q_raw, q;
};
WienerParts wiener_parts(const Array& wt, const Array& h, const std::vector<int>& sizes);

// [dE/dW]+- from [dE/dW~]+- through W~ = W / n (sparseNMF.m's normalisation-aware split).
SplitGradient through_normalization(const SplitGradient& g, const NormalizedBases& bases);

}  // namespace nmfbench::deepnmf
