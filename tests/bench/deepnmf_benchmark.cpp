// Deep NMF (paper 001) at the reference's timing size (deepnmf_ref.py time: F 257, context 9,
// R 100 + 100, 500 frames, K 4 and 25, C 1 and 2): one training step = forward pass,
// multiplicative back-propagation and eq. 10's update of every trained W^k, on 1 and 2 threads
// (the frames split in two parts); and sparse NMF's analysis (25 updates with fixed context
// bases) of 10 s of audio (1250 frames at a hop of 8 ms).
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include "bench/best_of.hpp"
#include "core/random.hpp"
#include "methods/deepnmf/analysis.hpp"
#include "methods/deepnmf/network.hpp"
#include "methods/features.hpp"

namespace nmfbench::deepnmf {
namespace {

constexpr int kBins = 257, kContext = 9, kRank = 100;

struct Problem {
  Array m, w_bar, h0;
  std::vector<Array> targets;
  explicit Problem(Eigen::Index frames) {
    RandomStream rng(1, "deepnmf-bench");
    targets = {rng.uniform_array(kBins, frames, 0.05, 2),
               rng.uniform_array(kBins, frames, 0.05, 1)};
    m = stack_context(targets[0] + targets[1], kContext);
    w_bar = rng.uniform_array(kContext * kBins, 2 * kRank, 0.1, 1);
    h0 = initial_activations(normalize_columns(w_bar).w, m);
  }
};

void BM_DeepNmfTrainingStep(benchmark::State& state) {
  const Problem p(500);
  NetworkConfig config{.bins = kBins,
                       .layers = static_cast<int>(state.range(0)),
                       .untied = static_cast<int>(state.range(1)),
                       .sizes = {kRank, kRank},
                       .weights = {1, 0}};
  const tbb::global_control threads(tbb::global_control::max_allowed_parallelism,
                                    static_cast<std::size_t>(state.range(2)));
  std::vector<Array> untied(config.untied, p.w_bar.bottomRows(kBins));
  for (auto _ : state) {
    const Objective grads = objective(config, p.w_bar, untied, p.m, p.h0, p.targets, true);
    for (std::size_t i = 0; i < untied.size(); ++i)
      untied[i] = multiplicative_update(untied[i], grads.bases[i]);
    benchmark::DoNotOptimize(untied.back().data());
  }
}
BENCHMARK(BM_DeepNmfTrainingStep)
    ->ArgNames({"K", "C", "threads"})
    ->ArgsProduct({{4, 25}, {1, 2}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->Apply(report_best_of_repetitions);

void BM_SnmfAnalysis10s(benchmark::State& state) {
  const Problem p(1250);
  const Array wt = normalize_columns(p.w_bar).w;
  LayerCache cache;
  for (auto _ : state) {
    Array h = p.h0;
    for (int k = 0; k < 25; ++k) h = update_layer(wt, h, p.m, 1, 5, cache);
    benchmark::DoNotOptimize(h.data());
  }
}
BENCHMARK(BM_SnmfAnalysis10s)->Unit(benchmark::kMillisecond)->Apply(report_best_of_repetitions);

}  // namespace
}  // namespace nmfbench::deepnmf
