// Micro-benchmarks of the signal-processing core. Compare with the same settings in
// tests/bench/reference_timing.py (scipy.signal, mir_eval) on the same machine.
#include <benchmark/benchmark.h>

#include "bench/best_of.hpp"
#include "core/array_math.hpp"
#include "core/audio_io.hpp"
#include "core/bss_eval.hpp"
#include "core/direct_product.hpp"
#include "core/fast_pow.hpp"
#include "core/metrics.hpp"
#include "core/random.hpp"
#include "core/stft.hpp"
#include "test_support.hpp"

namespace nmfbench {
namespace {

// 10 s at the given rate; the STFT of paper 000 at 8 kHz, of papers 002/003 at 16 kHz.
void BM_StftRoundTrip(benchmark::State& state) {
  const int rate = static_cast<int>(state.range(0));
  const StftConfig config =
      rate == 8000 ? StftConfig{1024, 1024, 256, WindowType::hamming, Framing::centered_reflect}
                   : StftConfig{512, 512, 128, WindowType::sqrt_hann, Framing::centered_reflect};
  const Stft stft(config);
  const Signal x = testing::test_signal(10 * rate, "bench");
  for (auto _ : state) {
    const ComplexArray X = stft.forward(x);
    benchmark::DoNotOptimize(stft.inverse(X, x.size()).data());
  }
  state.counters["frames"] = static_cast<double>(stft.frames(x.size()));
}
BENCHMARK(BM_StftRoundTrip)->Arg(8000)->Arg(16000)->Unit(benchmark::kMicrosecond);

void BM_SiSdr(benchmark::State& state) {
  const Signal s = testing::test_signal(state.range(0), "s");
  const Signal e = s + 0.1 * testing::test_signal(state.range(0), "e");
  for (auto _ : state) benchmark::DoNotOptimize(si_sdr(s, e));
  state.SetBytesProcessed(state.iterations() * state.range(0) * 2 * sizeof(Real));
}
BENCHMARK(BM_SiSdr)->Arg(160000)->Unit(benchmark::kMicrosecond);

// x^0.6 over a 513 x 250 spectrogram-sized array: the GGD model's power, against Eigen's
// exp(a log x).
void BM_PowElementwise(benchmark::State& state) {
  const Array x = RandomStream(2, "pow").uniform_array(513, 250, -20, 20).exp();
  Array out(x.rows(), x.cols());
  for (auto _ : state) {
    if (state.range(0) == 0)
      pow_elementwise(x.data(), 0.6, out.data(), x.size());
    else
      out = (0.6 * x.log()).exp();
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_PowElementwise)->ArgName("eigen")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

// The three products of a multiplicative update on one column tile (513 bins, K = 30, 64
// columns), by direct_product and by Eigen: shape 0 is W H, 1 is [num; den] H^T, 2 is
// W^T [num, den]. GFLOP/s counts 2 flops per multiply-add.
void BM_Product(benchmark::State& state) {
  const Eigen::Index m = 513, k = 30, tile = 64;
  const int shape = static_cast<int>(state.range(0));
  const bool eigen = state.range(1) != 0;
  RandomStream rng(4, "product");
  const Eigen::MatrixXd w = rng.uniform_array(m, k, 0, 1).matrix();
  const Eigen::MatrixXd w_transposed = w.transpose();
  const Eigen::MatrixXd h = rng.uniform_array(k, tile, 0, 1).matrix();
  const Eigen::MatrixXd stacked_rows = rng.uniform_array(2 * m, tile, 0, 1).matrix();
  const Eigen::MatrixXd stacked_cols = rng.uniform_array(m, 2 * tile, 0, 1).matrix();
  Eigen::MatrixXd out;
  for (auto _ : state) {
    if (shape == 0) {
      out.resize(m, tile);
      if (eigen)
        out.noalias() = w * h;
      else
        direct_product(columns_view(w), strided_view(h), output_view(out), false);
    } else if (shape == 1) {
      out.resize(2 * m, k);
      if (eigen)
        out.noalias() = stacked_rows * h.transpose();
      else
        direct_product(columns_view(stacked_rows), strided_view(h.transpose()), output_view(out),
                       false);
    } else {
      out.resize(k, 2 * tile);
      if (eigen)
        out.noalias() = w.transpose() * stacked_cols;
      else
        direct_product(columns_view(w_transposed), strided_view(stacked_cols), output_view(out),
                       false);
    }
    benchmark::DoNotOptimize(out.data());
  }
  const double flops = 2.0 * m * k * tile * (shape == 0 ? 1 : 2);
  state.counters["GFLOP/s"] = benchmark::Counter(
      flops * 1e-9 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Product)
    ->ArgNames({"shape", "eigen"})
    ->ArgsProduct({{0, 1, 2}, {0, 1}})
    ->Unit(benchmark::kMicrosecond)
    ->Apply(report_best_of_repetitions);

// C = A B at the shapes of the tape's conv1d (the NAE's layers at r 100: 100 x 257 by
// 257 x 3000 and 257 x 100 by 100 x 3000, and dL/dW = G X^T, depth 3000, with B a transpose)
// and of deep NMF's tied layers on one tile (2313 x 200 by 200 x 64 and W~^T X, 200 x 2313 by
// 2313 x 64), by direct_product and by Eigen.
void BM_ProductAtLayerShapes(benchmark::State& state) {
  const Eigen::Index m = state.range(0), k = state.range(1), n = state.range(2);
  const bool eigen = state.range(3) != 0, transposed = state.range(4) != 0;
  RandomStream rng(5, "product-layers");
  const Eigen::MatrixXd a = rng.uniform_array(m, k, 0, 1).matrix();
  const Eigen::MatrixXd b = rng.uniform_array(k, n, 0, 1).matrix();
  const Eigen::MatrixXd b_transposed = b.transpose();
  Eigen::MatrixXd c(m, n);
  for (auto _ : state) {
    if (eigen && transposed)
      c.noalias() = a * b_transposed.transpose();
    else if (eigen)
      c.noalias() = a * b;
    else if (transposed)
      direct_product(columns_view(a), strided_view(b_transposed.transpose()), output_view(c),
                     false);
    else
      direct_product(columns_view(a), strided_view(b), output_view(c), false);
    benchmark::DoNotOptimize(c.data());
  }
  state.counters["GFLOP/s"] = benchmark::Counter(
      2.0 * static_cast<double>(m * k * n) * 1e-9 * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ProductAtLayerShapes)
    ->ArgNames({"m", "k", "n", "eigen", "transposed_b"})
    ->ArgsProduct({{100}, {257}, {3000}, {0, 1}, {0}})
    ->ArgsProduct({{257}, {100}, {3000}, {0, 1}, {0}})
    ->ArgsProduct({{100}, {3000}, {257, 100}, {0, 1}, {1}})
    ->ArgsProduct({{257}, {3000}, {100}, {0, 1}, {1}})
    ->ArgsProduct({{2313}, {200}, {64}, {0, 1}, {0}})
    ->ArgsProduct({{200}, {2313}, {64}, {0, 1}, {0}})
    ->Unit(benchmark::kMicrosecond)
    ->Apply(report_best_of_repetitions);

// The NAE's output softplus with the derivative the tape keeps (257 x 3000).
void BM_SoftplusWithDerivative(benchmark::State& state) {
  RandomStream rng(5, "softplus");
  const Array x = rng.normal_array(257, 3000) * 3;
  Array derivative;
  for (auto _ : state) benchmark::DoNotOptimize(softplus(x, derivative).data());
}
BENCHMARK(BM_SoftplusWithDerivative)
    ->Unit(benchmark::kMicrosecond)
    ->Apply(report_best_of_repetitions);

void BM_BssEvalTwoSource10s(benchmark::State& state) {
  const auto dir = testing::data_dir() / "metrics";
  std::vector<Signal> refs, ests;
  for (int j = 0; j < 2; ++j) {
    refs.push_back(
        read_audio(dir / ("c4_two_source_16k_10s_ref" + std::to_string(j) + ".wav")).samples);
    ests.push_back(
        read_audio(dir / ("c4_two_source_16k_10s_est" + std::to_string(j) + ".wav")).samples);
  }
  const bool permute = state.range(0) != 0;
  for (auto _ : state) benchmark::DoNotOptimize(bss_eval_sources(refs, ests, permute).sdr.data());
}
BENCHMARK(BM_BssEvalTwoSource10s)
    ->ArgName("permutation")
    ->Arg(1)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace nmfbench
