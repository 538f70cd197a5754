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

// B is taken a panel at a time, every band of A's rows going over one panel before the next,
// so that the panel is read from L2 rather than from L3 or memory once per band: at most
// kPanelDepth of its rows by as many columns as fit in kPanelBytes. At the NAE's dL/dW
// (depth 3000) this is 1.15-1.3x faster than whole columns of B; 512 rows and 1 MiB were the
// fastest of the sizes tried (BM_ProductAtLayerShapes). Depths up to kPanelDepth, the usual
// numbers of components, are one panel deep.
constexpr Index kPanelDepth = 512;
constexpr Index kPanelBytes = Index{1} << 20;
static_assert(kPanelBytes / static_cast<Index>(sizeof(Real)) / kPanelDepth >= kColumns,
              "a panel must hold at least one block's columns");

// How a block's sums meet C: C = sums, C += sums, or sums that start from C's partial sums
// of the earlier panels of the depth, which makes them the additions of one pass, in order.
enum class Sums { overwrite, add, resume };

struct BlockArgs {
  Index depth;
  const Real* a;
  Index a_stride;
  const Real* b;
  Index b_row_step, b_col_step;
  Real* c;
  Index c_stride;
  Sums sums;
};

// C[0 : V lanes, 0 : Columns] (+)= A[0 : V lanes, :] B[:, 0 : Columns]; every product is
// added in order of the inner index, so results do not depend on the blocking.
template <int V, int Columns>
void block(const BlockArgs& x) {
  Packet sum[V][Columns];
  for (int j = 0; j < Columns; ++j) {
    for (int v = 0; v < V; ++v) {
      sum[v][j] = x.sums == Sums::resume ? ei::ploadu<Packet>(x.c + j * x.c_stride + v * kLanes)
                                         : ei::pset1<Packet>(0);
    }
  }
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
      ei::pstoreu(c, x.sums == Sums::add ? ei::padd(ei::ploadu<Packet>(c), sum[v][j]) : sum[v][j]);
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

// One band of C's rows, `vectors` packets tall, across `columns` of B's columns.
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
  const Index depth = a.cols, panels_deep = (depth + kPanelDepth - 1) / kPanelDepth;
  if (depth == 0) {
    if (!accumulate) {
      for (Index j = 0; j < c.cols; ++j) std::fill_n(c.data + j * c.stride, c.rows, Real(0));
    }
    return;
  }
  if (accumulate && panels_deep > 1) {
    // C's own values cannot hold the partial sums: they go to scratch, as if in one pass, and
    // are added to C at the end.
    thread_local std::vector<Real> scratch;
    scratch.resize(static_cast<std::size_t>(c.rows * c.cols));
    direct_product(a, b, {scratch.data(), c.rows, c.cols, c.rows}, false);
    for (Index j = 0; j < c.cols; ++j) {
      Eigen::Map<Signal>(c.data + j * c.stride, c.rows) +=
          Eigen::Map<const Signal>(scratch.data() + j * c.rows, c.rows);
    }
    return;
  }
  // Bands of kVectors packets, then the rest as one band: read in place when it is whole
  // packets, otherwise copied into a band padded with zeros so that whole packets can be read,
  // C's computed into a scratch band and copied out at the end.
  const Index full_rows = a.rows / kBlockRows * kBlockRows, rest = a.rows - full_rows;
  const int rest_vectors = static_cast<int>((rest + kLanes - 1) / kLanes);
  const Index padded = rest % kLanes == 0 ? 0 : rest_vectors * kLanes;
  thread_local std::vector<Real> a_rest, c_rest;
  if (padded > 0) {
    a_rest.assign(static_cast<std::size_t>(padded * depth), 0);
    c_rest.resize(static_cast<std::size_t>(padded * b.cols));
    for (Index p = 0; p < depth; ++p) {
      std::copy_n(a.data + full_rows + p * a.stride, rest, a_rest.data() + p * padded);
    }
  }
  const Index panel_depth = (depth + panels_deep - 1) / panels_deep;
  const Index panel_columns =
      kPanelBytes / static_cast<Index>(sizeof(Real)) / panel_depth / kColumns * kColumns;
  for (Index p = 0; p < depth; p += panel_depth) {
    const Index rows_of_b = std::min(panel_depth, depth - p);
    const Sums sums = p > 0 ? Sums::resume : accumulate ? Sums::add : Sums::overwrite;
    for (Index j = 0; j < b.cols; j += panel_columns) {
      const Index columns = std::min(panel_columns, b.cols - j);
      const Real* panel = b.data + p * b.row_step + j * b.col_step;
      for (Index i = 0; i < full_rows; i += kBlockRows) {
        band(kVectors,
             {rows_of_b, a.data + i + p * a.stride, a.stride, panel, b.row_step, b.col_step,
              c.data + i + j * c.stride, c.stride, sums},
             columns);
      }
      if (rest == 0) continue;
      if (padded == 0) {
        band(rest_vectors,
             {rows_of_b, a.data + full_rows + p * a.stride, a.stride, panel, b.row_step, b.col_step,
              c.data + full_rows + j * c.stride, c.stride, sums},
             columns);
      } else {
        band(rest_vectors,
             {rows_of_b, a_rest.data() + p * padded, padded, panel, b.row_step, b.col_step,
              c_rest.data() + j * padded, padded, p > 0 ? Sums::resume : Sums::overwrite},
             columns);
      }
    }
  }
  if (padded == 0) return;
  for (Index j = 0; j < b.cols; ++j) {
    Real* out = c.data + full_rows + j * c.stride;
    const Real* in = c_rest.data() + j * padded;
    for (Index i = 0; i < rest; ++i) out[i] = accumulate ? out[i] + in[i] : in[i];
  }
}

}  // namespace nmfbench
