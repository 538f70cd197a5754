#include "core/direct_product.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace nmfbench {
namespace {

namespace ei = Eigen::internal;
using Eigen::Index;
using Packet = ei::packet_traits<Real>::type;
constexpr int kLanes = ei::packet_traits<Real>::size;

// A block of C is kVectors packets tall and kColumns wide, its accumulators held in registers
// with kVectors packets of A and one broadcast of B beside them.
constexpr int kVectors = 3;
constexpr int kColumns = EIGEN_ARCH_DEFAULT_NUMBER_OF_REGISTERS >= 32 ? 8 : 4;
constexpr Index kBlockRows = kVectors * kLanes;

struct BlockArgs {
  Index depth;
  const Real* a;
  Index a_stride;
  const Real* b;
  Index b_row_step, b_col_step;
  Real* c;
  Index c_stride;
  bool accumulate;
};

// C[0 : V lanes, 0 : Columns] (+)= A[0 : V lanes, :] B[:, 0 : Columns]; every product is
// added in order of the inner index, so results do not depend on the blocking.
template <int V, int Columns>
void block(const BlockArgs& x) {
  Packet sum[V][Columns];
  for (auto& row : sum) std::fill(std::begin(row), std::end(row), ei::pset1<Packet>(0));
  for (Index p = 0; p < x.depth; ++p) {
    Packet a[V];
    for (int v = 0; v < V; ++v) a[v] = ei::ploadu<Packet>(x.a + p * x.a_stride + v * kLanes);
    const Real* b = x.b + p * x.b_row_step;
    for (int j = 0; j < Columns; ++j) {
      const Packet bj = ei::pset1<Packet>(b[j * x.b_col_step]);
      for (int v = 0; v < V; ++v) sum[v][j] = ei::pmadd(a[v], bj, sum[v][j]);
    }
  }
  for (int j = 0; j < Columns; ++j) {
    for (int v = 0; v < V; ++v) {
      Real* c = x.c + j * x.c_stride + v * kLanes;
      ei::pstoreu(c, x.accumulate ? ei::padd(ei::ploadu<Packet>(c), sum[v][j]) : sum[v][j]);
    }
  }
}

// block<V, columns> for a run-time number of columns in 1..kColumns.
template <int V, int... Cs>
void block_with_columns(int columns, const BlockArgs& x, std::integer_sequence<int, Cs...>) {
  (void)((columns == Cs + 1 && (block<V, Cs + 1>(x), true)) || ...);
}
template <int V>
void block_with_columns(int columns, const BlockArgs& x) {
  block_with_columns<V>(columns, x, std::make_integer_sequence<int, kColumns>{});
}

// One band of C's rows, `vectors` packets tall, across all of B's columns.
void band(int vectors, BlockArgs x, Index columns) {
  for (Index j = 0; j < columns; j += kColumns) {
    const int width = static_cast<int>(std::min<Index>(kColumns, columns - j));
    BlockArgs at = x;
    at.b = x.b + j * x.b_col_step;
    at.c = x.c + j * x.c_stride;
    if (vectors == 3) block_with_columns<3>(width, at);
    if (vectors == 2) block_with_columns<2>(width, at);
    if (vectors == 1) block_with_columns<1>(width, at);
  }
}

}  // namespace

void direct_product(ColumnsView a, StridedView b, OutputView c, bool accumulate) {
  if (a.cols != b.rows || c.rows != a.rows || c.cols != b.cols) {
    throw Error("direct_product: " + std::to_string(a.rows) + "x" + std::to_string(a.cols) +
                " times " + std::to_string(b.rows) + "x" + std::to_string(b.cols) + " into " +
                std::to_string(c.rows) + "x" + std::to_string(c.cols));
  }
  const Index depth = a.cols, full_rows = a.rows / kBlockRows * kBlockRows;
  for (Index i = 0; i < full_rows; i += kBlockRows) {
    band(kVectors,
         {depth, a.data + i, a.stride, b.data, b.row_step, b.col_step, c.data + i, c.stride,
          accumulate},
         b.cols);
  }
  // The last rows, fewer than a band: their whole packets are read in place, and the rows
  // after them, fewer than a packet, are copied into a packet padded with zeros so that a
  // whole packet can be read, C's computed into a scratch packet and copied out.
  const Index rest = a.rows - full_rows;
  const int whole = static_cast<int>(rest / kLanes);
  if (whole > 0) {
    band(whole,
         {depth, a.data + full_rows, a.stride, b.data, b.row_step, b.col_step, c.data + full_rows,
          c.stride, accumulate},
         b.cols);
  }
  const Index first = full_rows + whole * kLanes, tail = a.rows - first;
  if (tail == 0) return;
  thread_local std::vector<Real> a_tail, c_tail;
  a_tail.assign(static_cast<std::size_t>(kLanes * depth), 0);
  c_tail.resize(static_cast<std::size_t>(kLanes * b.cols));
  for (Index p = 0; p < depth; ++p) {
    std::copy_n(a.data + first + p * a.stride, tail, a_tail.data() + p * kLanes);
  }
  band(1,
       {depth, a_tail.data(), kLanes, b.data, b.row_step, b.col_step, c_tail.data(), kLanes, false},
       b.cols);
  for (Index j = 0; j < b.cols; ++j) {
    Real* out = c.data + first + j * c.stride;
    const Real* in = c_tail.data() + j * kLanes;
    for (Index i = 0; i < tail; ++i) out[i] = accumulate ? out[i] + in[i] : in[i];
  }
}

}  // namespace nmfbench
