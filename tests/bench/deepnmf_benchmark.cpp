// Deep NMF (paper 001) at the reference's timing size (deepnmf_ref.py time: F 257, context 9,
// R 100 + 100, 500 frames, K 4 and 25, C 1 and 2): one training step = forward pass,
// multiplicative back-propagation and eq. 10's update of every trained W^k, on 1 and 2 threads
// (the frames split in two parts); and sparse NMF's analysis (25 updates with fixed context
// bases) of 10 s of audio (1250 frames at a hop of 8 ms); and one training step of the DNN
// baseline against its matrix products alone.
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include "bench/best_of.hpp"
#include "core/autodiff/ops.hpp"
#include "core/optim/optimizers.hpp"
#include "core/random.hpp"
#include "methods/deepnmf/analysis.hpp"
#include "methods/deepnmf/mask_network.hpp"
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
  // cached: the step of a later epoch, which starts from the tied layers' output computed on
  // the mixture's first visit; otherwise every layer runs, as on the first visit.
  const bool cached = state.range(3) != 0;
  const Array h = cached ? tied_output(config, p.w_bar, p.m, p.h0) : p.h0;
  for (auto _ : state) {
    const Objective grads = objective(config, p.w_bar, untied, p.m, h, p.targets, true, cached);
    for (std::size_t i = 0; i < untied.size(); ++i)
      untied[i] = multiplicative_update(untied[i], grads.bases[i]);
    benchmark::DoNotOptimize(untied.back().data());
  }
  report_peak_rss(state);
}
BENCHMARK(BM_DeepNmfTrainingStep)
    ->ArgNames({"K", "C", "threads", "cached"})
    ->ArgsProduct({{4, 25}, {1, 2}, {1, 2}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->Apply(report_best_of_repetitions);

void BM_SnmfAnalysis10s(benchmark::State& state) {
  const Problem p(1250);
  const LayerBases wt = layer_bases(normalize_columns(p.w_bar).w);
  LayerCache cache;
  for (auto _ : state) {
    Array h = p.h0;
    for (int k = 0; k < 25; ++k) h = update_layer(wt, h, p.m, 1, 5, cache);
    benchmark::DoNotOptimize(h.data());
  }
}
BENCHMARK(BM_SnmfAnalysis10s)->Unit(benchmark::kMillisecond)->Apply(report_best_of_repetitions);

// One SGD-with-momentum step of the DNN baseline on 500 frames (the reference's DNN row):
// forward, backward on the tape and the update. GFLOP/s counts the three products per layer
// (forward, and the two of the backward pass) of 2 x in x out x frames flops each: the GEMM
// bound the step is compared with.
void BM_DnnMaskTrainingStep(benchmark::State& state) {
  const Problem p(500);
  const std::vector<int> hidden(state.range(0), static_cast<int>(state.range(1)));
  RandomStream rng(2, "dnn-bench");
  ParameterSet network = make_mask_network(kContext * kBins, hidden, kBins, rng);
  const Array x = FeatureStatistics::fit(log_features(p.m, 1e-9)).apply(log_features(p.m, 1e-9));
  const Array current = p.m.bottomRows(kBins);
  Sgd sgd(SgdOptions{.lr = 1e-5, .momentum = 0.9});
  for (auto _ : state) {
    ad::Tape tape;
    const auto bound = network.bind(tape);
    const ad::Var loss = signal_approximation(mask(bound, layer_count(network), tape.constant(x)),
                                              current, p.targets[0]);
    tape.backward(loss);
    network.collect_grads(tape, bound);
    sgd.step(network);
    benchmark::DoNotOptimize(loss.scalar());
  }
  report_peak_rss(state);
  double flops = 0;
  for (const auto& name : network.names())
    if (name[0] == 'W') flops += 3.0 * 2 * network.value(name).size() * 500;
  state.counters["GFLOP/s"] = benchmark::Counter(
      flops * 1e-9 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// The bound: the same three products per layer with Eigen and nothing else.
void BM_DnnProducts(benchmark::State& state) {
  std::vector<int> sizes = {kContext * kBins};
  sizes.insert(sizes.end(), state.range(0), static_cast<int>(state.range(1)));
  sizes.push_back(kBins);
  RandomStream rng(3, "dnn-products");
  std::vector<Eigen::MatrixXd> w, x, y;
  for (std::size_t i = 1; i < sizes.size(); ++i) {
    w.push_back(rng.uniform_array(sizes[i], sizes[i - 1]).matrix());
    x.push_back(rng.uniform_array(sizes[i - 1], 500).matrix());
    y.push_back(rng.uniform_array(sizes[i], 500).matrix());
  }
  double flops = 0;
  for (const auto& m : w) flops += 3.0 * 2 * m.size() * 500;
  for (auto _ : state) {
    for (std::size_t i = 0; i < w.size(); ++i) {
      y[i].noalias() = w[i] * x[i];
      x[i].noalias() = w[i].transpose() * y[i];
      w[i].noalias() = y[i] * x[i].transpose();
    }
    benchmark::DoNotOptimize(w.back().data());
  }
  state.counters["GFLOP/s"] = benchmark::Counter(
      flops * 1e-9 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void dnn_topologies(benchmark::internal::Benchmark* b) {
  b->ArgNames({"layers", "units"})->Args({3, 256})->Args({2, 1024});
  b->Unit(benchmark::kMillisecond)->Apply(report_best_of_repetitions);
}
BENCHMARK(BM_DnnMaskTrainingStep)->Apply(dnn_topologies);
BENCHMARK(BM_DnnProducts)->Apply(dnn_topologies);

}  // namespace
}  // namespace nmfbench::deepnmf
