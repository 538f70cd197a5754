// One DeMUA denoising training step (paper 000, Algorithm 1) in the setting of
// ../shared/reference/demua/demua_ref.py _time_child: a 4 s signal at 8 kHz, Hamming 1024/256,
// K = 30, T stacks with back-propagation through the last L, a batch of B items, after_w
// normalisation, M_a loss, clipping and one Adam step. Compare per-step times and peak memory
// with the reference's, same threads and precision (float64).
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include "bench/best_of.hpp"
#include "datasets/synthesis.hpp"
#include "methods/registry.hpp"

namespace nmfbench::demua {
namespace {

const char* kPhis[] = {"t", "ggd", "nn"};

// The reference's learning rates: 1e-2 for t and GGD, 1e-4 for the network.
Json step_parameters(int phi, int stacks, int recorded, int batch) {
  return {{"phi", kPhis[phi]},
          {"components", 30},
          {"stacks", stacks},
          {"truncation", recorded},
          {"train_steps", 1},
          {"batch_size", batch},
          {"learning_rate", phi == 2 ? 1e-4 : 1e-2},
          {"normalization", "after_w"}};
}

void BM_DemuaTrainingStep(benchmark::State& state) {
  const int phi = static_cast<int>(state.range(0));
  const tbb::global_control threads(tbb::global_control::max_allowed_parallelism,
                                    static_cast<std::size_t>(state.range(4)));
  const Stft stft({1024, 1024, 256, WindowType::hamming, Framing::centered_zero});
  // Items as the reference makes them: a plucked signal in noise at -10 dB, fixed per item.
  std::vector<TrainingItem> items;
  for (int b = 0; b < 10; ++b) {
    RandomStream rng(100 + b, "demua-bench");
    const Signal clean = data::plucked_lick(rng, 8000, 4.0);
    const Signal noise =
        rng.normal_array(clean.size(), 1).col(0) * std::sqrt(clean.square().mean() * 10);
    items.push_back({clean + noise, {clean}, {}});
  }
  const TrainingSet data{&stft, items.size(),
                         [&](std::size_t index, RandomStream&) { return items[index]; }};
  auto method = method_registry().make(
      "demua", Task::denoise,
      step_parameters(phi, static_cast<int>(state.range(1)), static_cast<int>(state.range(2)),
                      static_cast<int>(state.range(3))));
  RunContext context{RandomStream(1, "bench"), {}, nullptr, nullptr};
  for (auto _ : state) method->train(Task::denoise, {data, {}}, context);
  report_peak_rss(state);
  state.SetLabel(std::string(kPhis[phi]) +
                 " M=513 N=" + std::to_string(stft.frames(items[0].mixture.size())) + " K=30");
}

// phi (0 t, 1 ggd, 2 nn), T, L, B, threads: the reference's grid, and a small case for the
// smoke run under CTest.
BENCHMARK(BM_DemuaTrainingStep)
    ->ArgNames({"phi", "T", "L", "B", "threads"})
    ->ArgsProduct({{0, 1}, {300}, {30, 100}, {1, 10}, {1, 2}})
    ->ArgsProduct({{2}, {300}, {30}, {1, 10}, {1, 2}})
    ->Args({0, 4, 2, 1, 1})
    ->Args({2, 4, 2, 1, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Apply(report_best_of_repetitions);

}  // namespace
}  // namespace nmfbench::demua
