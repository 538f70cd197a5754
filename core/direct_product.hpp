#pragma once

// C = A B (or C += A B) for the products of the multiplicative updates, where one dimension
// is the number of components K (tens to hundreds): W H, [num; den] H^T and W^T [num, den],
// and likewise the tape's conv1d and deep NMF's layers. A general GEMM packs both operands
// into panels first, which at these shapes costs as much as the arithmetic it saves; here A is
// read in place (its columns are contiguous) and B's elements are broadcast straight from
// wherever they are stored, so any strides (a transpose included) cost nothing. On a tile of
// 513 bins, K = 30 and 64 columns it is 1.2x (W H) to 1.5x (W^T [num, den]) faster than
// Eigen's product (BM_Product); at the NAE's 100 x 257 by 257 x 3000, 1.4x. Where the
// inner dimension is long (a weights' gradient over thousands of frames, W~^T X over deep
// NMF's 9F context rows), B is taken in panels that stay in L2 across A's bands; the sums are
// still added in order of the inner index, so no result depends on the blocking.

#include "core/types.hpp"

namespace nmfbench {

// A column-major operand whose columns are contiguous (stride = leading dimension).
struct ColumnsView {
  const Real* data;
  Eigen::Index rows, cols, stride;
};
// Any operand whose element (i, j) is data[i * row_step + j * col_step].
struct StridedView {
  const Real* data;
  Eigen::Index rows, cols, row_step, col_step;
};
// A column-major output.
struct OutputView {
  Real* data;
  Eigen::Index rows, cols, stride;
};

// C = A B, or C += A B with `accumulate`. Sizes must agree; C must not overlap A or B.
void direct_product(ColumnsView a, StridedView b, OutputView c, bool accumulate);

// Views of Eigen matrices, arrays, blocks and transposes.
template <typename E>
ColumnsView columns_view(const E& e) {
  static_assert(!E::IsRowMajor, "A must be column-major");
  eigen_assert(e.innerStride() == 1);
  return {e.data(), e.rows(), e.cols(), e.outerStride()};
}
template <typename E>
StridedView strided_view(const E& e) {
  const Eigen::Index inner = e.innerStride(), outer = e.outerStride();
  if constexpr (E::IsRowMajor) return {e.data(), e.rows(), e.cols(), outer, inner};
  return {e.data(), e.rows(), e.cols(), inner, outer};
}
template <typename E>
OutputView output_view(E&& e) {
  static_assert(!std::decay_t<E>::IsRowMajor, "C must be column-major");
  eigen_assert(e.innerStride() == 1);
  return {e.data(), e.rows(), e.cols(), e.outerStride()};
}

}  // namespace nmfbench
