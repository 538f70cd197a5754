// Paper 002's and 004's models at the sizes `nae_ref.py time` runs (float64, F 257): one
// full-batch RProp step of the shallow and deep NAE (257 x 3000), one fitting step with two
// decoders (600 frames), one conv-NAE step (r 20, T 8) and one conv-NMF iteration.
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include "best_of.hpp"
#include "core/random.hpp"
#include "methods/nae/conv_nmf.hpp"
#include "methods/nae/network.hpp"

namespace nmfbench::nae {
namespace {

constexpr Eigen::Index kBins = 257;

// |N(0, 1)| scaled per bin by Gamma(1, 1) plus 0.01, like the reference's timing data.
Array spectrogram(Eigen::Index frames) {
  RandomStream rng(0, "nae-bench");
  Array x = rng.normal_array(kBins, frames).abs();
  const Array level = rng.uniform_array(kBins, 1, 1e-3, 1).log() * -1;  // Exp(1) = Gamma(1, 1)
  x.colwise() *= level.col(0);
  return x + 0.01;
}

// The reference's rows: shallow and deep (L 2) at r 20 and 100, and the conv NAE at r 20, T 8,
// each on 1 and 2 threads.
void nae_sizes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"r", "L", "T", "threads"});
  for (const auto threads : {1, 2}) {
    b->Args({20, 1, 1, threads})
        ->Args({100, 1, 1, threads})
        ->Args({20, 2, 1, threads})
        ->Args({100, 2, 1, threads})
        ->Args({20, 1, 8, threads});
  }
  b->Unit(benchmark::kMillisecond);
  report_best_of_repetitions(b);
}

// The last argument of every case here.
tbb::global_control thread_limit(const benchmark::State& state) {
  return tbb::global_control(tbb::global_control::max_allowed_parallelism,
                             static_cast<std::size_t>(state.range(3)));
}

void BM_NaeTrainStep(benchmark::State& state) {
  const auto threads = thread_limit(state);
  const Array x = spectrogram(3000);
  RandomStream rng(1, "nae-bench-init");
  Autoencoder network = make_autoencoder(
      kBins, std::vector<Eigen::Index>(static_cast<std::size_t>(state.range(1)), state.range(0)),
      state.range(2), Activation::softplus, rng);
  Trainer trainer(network, x, 0.1);
  trainer.step();  // warm-up, as the reference's
  for (auto _ : state) benchmark::DoNotOptimize(trainer.step());
  report_peak_rss(state);
}
BENCHMARK(BM_NaeTrainStep)->Apply(nae_sizes);

// Two decoders fitted to 600 frames.
void BM_NaeFitStep(benchmark::State& state) {
  const auto threads = thread_limit(state);
  const Array x = spectrogram(600);
  RandomStream rng(2, "nae-bench-init");
  std::vector<std::vector<Array>> decoders;
  std::vector<Array> z;
  for (int k = 0; k < 2; ++k) {
    decoders.push_back(
        make_autoencoder(
            kBins,
            std::vector<Eigen::Index>(static_cast<std::size_t>(state.range(1)), state.range(0)),
            state.range(2), Activation::softplus, rng)
            .decoder());
    z.push_back(Array::Zero(state.range(0), x.cols()));
  }
  ActivationFit fit(decoders, Activation::softplus, x, 0.1, z);
  fit.step();
  for (auto _ : state) benchmark::DoNotOptimize(fit.step());
  report_peak_rss(state);
}
BENCHMARK(BM_NaeFitStep)->Apply(nae_sizes);

// Args: r, T, rule (0 sum, 1 average), threads.
void BM_ConvNmfIteration(benchmark::State& state) {
  const auto threads = thread_limit(state);
  const Array v = spectrogram(3000);
  RandomStream rng(3, "conv-nmf-bench");
  Bases w;
  for (Eigen::Index t = 0; t < state.range(1); ++t)
    w.push_back(rng.uniform_array(kBins, state.range(0), 0.1, 1));
  Array h = rng.uniform_array(state.range(0), v.cols(), 0.1, 1);
  const HRule rule = state.range(2) == 0 ? HRule::sum : HRule::average;
  iterate(v, w, h, rule);
  for (auto _ : state) {
    iterate(v, w, h, rule);
    benchmark::DoNotOptimize(h.data());
  }
  report_peak_rss(state);
}
BENCHMARK(BM_ConvNmfIteration)
    ->ArgNames({"r", "T", "rule", "threads"})
    ->ArgsProduct({{20}, {8}, {0, 1}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->Apply(report_best_of_repetitions);

}  // namespace
}  // namespace nmfbench::nae
