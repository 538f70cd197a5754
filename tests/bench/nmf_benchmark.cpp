// One multiplicative-update iteration of complex-PDF NMF per model, against the GEMM bound:
// the same six matrix products (two W H, [num; den] H^T and W^T [num, den]) with no
// elementwise work. GFLOP/s counts 6 products of 2MNK flops for both. The iteration runs on
// 1 thread (the speed targets' setting; the products are single-threaded too) and on 2.
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include "bench/best_of.hpp"
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

// The products in the solver's column tiles (parts.hpp), which make them faster too: the
// bound is what the same GEMMs cost without the elementwise work between them.
void BM_SixProducts(benchmark::State& state) {
  const Problem p(state.range(0), state.range(1), state.range(2));
  const Eigen::Index m = p.y.rows(), n = p.y.cols(), k = p.w.cols();
  const Eigen::Index tile = std::min(kTileColumns, n);
  const auto w = p.w.matrix();
  const auto h = p.h.matrix();
  Eigen::MatrixXd yhat(m, tile), ratio_w(2 * m, k), ratio_h(k, 2 * tile);
  const Eigen::MatrixXd stacked_rows = Eigen::MatrixXd::Constant(2 * m, tile, 0.5);
  const Eigen::MatrixXd stacked_cols = Eigen::MatrixXd::Constant(m, 2 * tile, 0.5);
  for (auto _ : state) {
    ratio_w.setZero();
    for_each_tile({0, n}, [&](Part cols) {
      yhat.leftCols(cols.size).noalias() = w * h.middleCols(cols.first, cols.size);
      ratio_w.noalias() +=
          stacked_rows.leftCols(cols.size) * h.middleCols(cols.first, cols.size).transpose();
    });
    for_each_tile({0, n}, [&](Part cols) {
      yhat.leftCols(cols.size).noalias() = w * h.middleCols(cols.first, cols.size);
      ratio_h.leftCols(2 * cols.size).noalias() =
          w.transpose() * stacked_cols.leftCols(2 * cols.size);
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
