// DR-NMF (paper 003) and its LSTM baseline in the setting of ../shared/reference/drnmf/drnmf_ref.py
// time: one training step (forward, back-propagation through time, one Keras Adam step) at F = 257
// on B sequences of T frames, and inference on 10 s of 16 kHz audio (1250 frames) against 200
// sparse NMF H updates. Float64; the DR-NMF step on 1 and 2 threads (its large products run
// in fixed parts), the rest on one (the GEMMs are Eigen's, not parallelised).
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include "bench/best_of.hpp"
#include "core/optim/optimizers.hpp"
#include "core/random.hpp"
#include "methods/drnmf/lstm.hpp"
#include "methods/drnmf/network.hpp"
#include "methods/drnmf/sparse_nmf.hpp"

namespace nmfbench::drnmf {
namespace {

constexpr Eigen::Index kBins = 257;

// A positive dictionary of unit columns and magnitudes of about the scale DR-NMF is
// initialised for (W^T x comparable to lambda).
struct Problem {
  Array w;
  std::vector<Array> x, y;
};

Problem problem(Eigen::Index n, Eigen::Index sequences, Eigen::Index frames) {
  RandomStream rng(3, "drnmf-bench");
  Problem p;
  p.w = rng.uniform_array(kBins, n, 0.05, 1);
  p.w.rowwise() /= p.w.matrix().colwise().norm().array();
  for (Eigen::Index b = 0; b < sequences; ++b) {
    p.y.push_back(rng.uniform_array(kBins, frames, 0, 0.2));
    p.x.push_back(p.y.back() + rng.uniform_array(kBins, frames, 0, 0.2));
  }
  return p;
}

// N (total bases), B sequences, T frames, K layers, threads.
void BM_DrNmfTrainingStep(benchmark::State& state) {
  const Eigen::Index n = state.range(0);
  const int layers = static_cast<int>(state.range(3));
  const tbb::global_control threads(tbb::global_control::max_allowed_parallelism,
                                    static_cast<std::size_t>(state.range(4)));
  const Problem p = problem(n, state.range(1), state.range(2));
  const SequenceBatch batch = SequenceBatch::pack(p.x, p.y);
  const Network network({.speech = n / 2, .ista = {.layers = layers}});
  ParameterSet parameters =
      initial_parameters(p.w, n >= 2000 ? 400 : 50, network.options(), Array::Constant(n, 1, 0.5));
  Adam adam({.lr = 1e-3, .keras = true});
  for (auto _ : state) {
    benchmark::DoNotOptimize(network.loss(parameters, batch, true));
    adam.step(parameters);
  }
  report_peak_rss(state);
}

// The LSTM baseline's step (Adam after clipping at 1): layers, hidden, B, T.
void BM_DrNmfLstmTrainingStep(benchmark::State& state) {
  const Problem p = problem(2, state.range(2), state.range(3));
  const SequenceBatch batch = SequenceBatch::pack(p.x, p.y);
  const LstmOptions options{.layers = static_cast<int>(state.range(0)),
                            .hidden = static_cast<int>(state.range(1))};
  RandomStream rng(5, "lstm-bench");
  ParameterSet parameters = lstm_parameters(kBins, options, rng);
  const Lstm lstm(options);
  Adam adam({.lr = 1e-4, .keras = true});
  for (auto _ : state) {
    benchmark::DoNotOptimize(lstm.loss(parameters, batch, true));
    clip_grad_norm(parameters, 1);
    adam.step(parameters);
  }
  report_peak_rss(state);
}

// N, T frames of one sequence, K.
void BM_DrNmfInference(benchmark::State& state) {
  const Eigen::Index n = state.range(0);
  const Problem p = problem(n, 1, state.range(1));
  const SequenceBatch batch = SequenceBatch::pack(p.x, {});
  const Network network({.speech = n / 2, .ista = {.layers = static_cast<int>(state.range(2))}});
  const ParameterSet parameters =
      initial_parameters(p.w, n >= 2000 ? 400 : 50, network.options(), Array::Constant(n, 1, 0.5));
  for (auto _ : state) benchmark::DoNotOptimize(network.forward(parameters, batch).mask.data());
  report_peak_rss(state);
}

// N, T frames, iterations: the test-time SNMF baseline.
void BM_DrNmfSnmfInference(benchmark::State& state) {
  const Eigen::Index n = state.range(0);
  const Problem p = problem(n, 1, state.range(1));
  const Array h0 = Array::Constant(n, p.x[0].cols(), 0.5);
  for (auto _ : state)
    benchmark::DoNotOptimize(
        sparse_nmf_mask(p.x[0], p.w, h0, n / 2, 1, static_cast<int>(state.range(2))).data());
  report_peak_rss(state);
}

BENCHMARK(BM_DrNmfTrainingStep)
    ->ArgNames({"N", "B", "T", "K", "threads"})
    ->ArgsProduct({{200, 2000}, {32}, {500}, {2, 5}, {1, 2}})
    ->Args({20, 2, 4, 2, 1})
    ->Unit(benchmark::kMillisecond)
    ->Apply(report_best_of_repetitions);
BENCHMARK(BM_DrNmfLstmTrainingStep)
    ->ArgNames({"layers", "hidden", "B", "T"})
    ->Args({2, 54, 32, 500})
    ->Args({2, 244, 32, 500})
    ->Args({5, 70, 32, 500})
    ->Args({5, 250, 32, 500})
    ->Args({2, 5, 2, 4})
    ->Unit(benchmark::kMillisecond)
    ->Apply(report_best_of_repetitions);
BENCHMARK(BM_DrNmfInference)
    ->ArgNames({"N", "T", "K"})
    ->Args({200, 1250, 2})
    ->Args({200, 1250, 5})
    ->Args({2000, 1250, 2})
    ->Args({2000, 1250, 5})
    ->Args({20, 4, 2})
    ->Unit(benchmark::kMillisecond)
    ->Apply(report_best_of_repetitions);
BENCHMARK(BM_DrNmfSnmfInference)
    ->ArgNames({"N", "T", "iterations"})
    ->Args({200, 1250, 200})
    ->Args({2000, 1250, 200})
    ->Args({20, 4, 2})
    ->Unit(benchmark::kMillisecond)
    ->Apply(report_best_of_repetitions);

}  // namespace
}  // namespace nmfbench::drnmf
