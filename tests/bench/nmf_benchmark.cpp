// One multiplicative-update iteration of complex-PDF NMF per model, against the GEMM bound:
// the same six matrix products (two W H, [num; den] H^T and W^T [num, den]) with no
// elementwise work. GFLOP/s counts 6 products of 2MNK flops for both. The iteration runs on
// 1 thread (the speed targets' setting; the products are single-threaded too) and on 2.
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include "bench/best_of.hpp"
#include "core/direct_product.hpp"
#include "core/random.hpp"
#include "methods/nmf/complex_nmf.hpp"

namespace nmfbench::nmf {
namespace {

struct Problem {
  Array y, w, h;
  Problem(Eigen::Index m, Eigen::Index n, Eigen::Index k) {
    RandomStream rng(1, "nmf-bench");
    y = rng.uniform_array(m, n, 0.01, 2);
    w = rng.uniform_array(m, k, 0.1, 1);
    h = rng.uniform_array(k, n, 0.1, 1);
  }
};

void set_flops(benchmark::State& state) {
  const double flops = 6.0 * 2 * state.range(0) * state.range(1) * state.range(2);
  state.counters["GFLOP/s"] = benchmark::Counter(
      flops * 1e-9 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_ComplexNmfIteration(benchmark::State& state, const char* model_name) {
  Problem p(state.range(0), state.range(1), state.range(2));
  const tbb::global_control threads(tbb::global_control::max_allowed_parallelism,
                                    static_cast<std::size_t>(state.range(3)));
  const auto model = make_model(model_name, 4.0, 1.2);
  ComplexNmfSolver solver(p.y.rows(), p.y.cols(), p.w.cols());
  for (auto _ : state) {
    solver.iterate(p.y, p.w, p.h, *model, Normalization::after_w);
    benchmark::DoNotOptimize(p.h.data());
  }
  set_flops(state);
}

// The products as the solver computes them, with direct_product in its column tiles
// (parts.hpp): the bound is what they cost without the elementwise work between them.
void BM_SixProducts(benchmark::State& state) {
  const Problem p(state.range(0), state.range(1), state.range(2));
  const Eigen::Index m = p.y.rows(), n = p.y.cols(), k = p.w.cols();
  const Eigen::Index tile = std::min(kTileColumns, n);
  const Array w_transposed = p.w.transpose();
  Array yhat(m, tile), ratio_w(2 * m, k), ratio_h(k, 2 * tile);
  const Array stacked_rows = Array::Constant(2 * m, tile, 0.5);
  const Array stacked_cols = Array::Constant(m, 2 * tile, 0.5);
  for (auto _ : state) {
    for_each_tile({0, n}, [&](Part cols) {
      const auto h_tile = p.h.middleCols(cols.first, cols.size);
      direct_product(columns_view(p.w), strided_view(h_tile), output_view(yhat.leftCols(cols.size)),
                     false);
      direct_product(columns_view(stacked_rows.leftCols(cols.size)),
                     strided_view(h_tile.transpose()), output_view(ratio_w), cols.first > 0);
    });
    for_each_tile({0, n}, [&](Part cols) {
      const auto h_tile = p.h.middleCols(cols.first, cols.size);
      direct_product(columns_view(p.w), strided_view(h_tile), output_view(yhat.leftCols(cols.size)),
                     false);
      direct_product(columns_view(w_transposed), strided_view(stacked_cols.leftCols(2 * cols.size)),
                     output_view(ratio_h.leftCols(2 * cols.size)), false);
    });
    benchmark::DoNotOptimize(ratio_h.data());
    benchmark::DoNotOptimize(ratio_w.data());
  }
  set_flops(state);
}

void sizes(benchmark::internal::Benchmark* b) {
  b->Args({513, 250, 30})->Args({513, 1000, 30})->Args({257, 2000, 200});
  b->ArgNames({"M", "N", "K"})->Unit(benchmark::kMillisecond);
  report_best_of_repetitions(b);
}

void sizes_and_threads(benchmark::internal::Benchmark* b) {
  for (int threads : {1, 2}) {
    b->Args({513, 250, 30, threads})
        ->Args({513, 1000, 30, threads})
        ->Args({257, 2000, 200, threads});
  }
  b->ArgNames({"M", "N", "K", "threads"})->Unit(benchmark::kMillisecond);
  report_best_of_repetitions(b);
}

BENCHMARK_CAPTURE(BM_ComplexNmfIteration, gaussian, "gaussian")->Apply(sizes_and_threads);
BENCHMARK_CAPTURE(BM_ComplexNmfIteration, t, "t")->Apply(sizes_and_threads);
BENCHMARK_CAPTURE(BM_ComplexNmfIteration, ggd, "ggd")->Apply(sizes_and_threads);
BENCHMARK(BM_SixProducts)->Apply(sizes);

}  // namespace
}  // namespace nmfbench::nmf
