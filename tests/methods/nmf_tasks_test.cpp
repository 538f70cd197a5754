// The denoise and separate tasks end to end on small synthetic cases: STFT, method, iSTFT,
// SI-SDR improvement.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "core/metrics.hpp"
#include "core/stft.hpp"
#include "datasets/dataset.hpp"
#include "datasets/mixing.hpp"
#include "methods/registry.hpp"
#include "test_support.hpp"

namespace nmfbench {
namespace {

constexpr int kRate = 8000;

// Decaying harmonic notes with fundamentals drawn from [f_low, f_high].
Signal notes(const std::string& key, Real f_low, Real f_high, Real seconds) {
  RandomStream rng(21, key);
  const auto length = static_cast<Eigen::Index>(seconds * kRate);
  Signal out = Signal::Zero(length);
  const Eigen::Index note = kRate / 4;
  for (Eigen::Index start = 0; start + note <= length; start += note) {
    const Real f0 = rng.uniform(f_low, f_high);
    for (Eigen::Index i = 0; i < note; ++i) {
      const Real t = static_cast<Real>(i) / kRate;
      for (int k = 1; k <= 5 && k * f0 < kRate / 2; ++k) {
        out[start + i] += std::sin(2 * std::numbers::pi * k * f0 * t) * std::exp(-8 * t) / k;
      }
    }
  }
  return out;
}

std::vector<Real> run_task(const std::string& method, const Json& parameters, Task task,
                           const Stft& stft, const std::vector<Signal>& training,
                           const std::vector<Signal>& references, const Signal& mixture,
                           const std::vector<int>& checkpoints) {
  auto m = method_registry().make(method, task, parameters);
  RunContext context{RandomStream(5, "cell"), checkpoints, nullptr, nullptr};
  std::vector<ComplexArray> training_spectra;
  for (const auto& s : training) training_spectra.push_back(stft.forward(s));
  m->fit(training_spectra, context);
  // Mean SI-SDR improvement over the sources, per checkpoint.
  std::vector<Real> improvement;
  context.report = [&](int, const std::vector<ComplexArray>& sources) {
    EXPECT_EQ(sources.size(), references.size());
    Real sum = 0;
    for (std::size_t l = 0; l < sources.size(); ++l) {
      sum += si_sdr_improvement(references[l], stft.inverse(sources[l], mixture.size()), mixture);
    }
    improvement.push_back(sum / static_cast<Real>(sources.size()));
  };
  m->run(task, stft.forward(mixture), context);
  EXPECT_EQ(improvement.size(), checkpoints.size());
  return improvement;
}

TEST(NmfTasks, SeparateImprovesSiSdr) {
  const Stft stft({512, 512, 128, WindowType::hann, Framing::centered_reflect});
  const Signal low = notes("low-test", 100, 200, 2), high = notes("high-test", 700, 1200, 2);
  const std::vector<Signal> training = {notes("low-train", 100, 200, 4),
                                        notes("high-train", 700, 1200, 4)};
  for (const auto& [method, parameters] : std::vector<std::pair<std::string, Json>>{
           {"complex_nmf", {{"components", 8}, {"train_iterations", 60}}},
           {"complex_nmf",
            {{"components", 8}, {"model", "t"}, {"nu", 4.0}, {"train_iterations", 60}}},
           {"beta_nmf", {{"components", 8}, {"sparsity", 0.1}, {"train_iterations", 60}}}}) {
    const auto gains = run_task(method, parameters, Task::separate, stft, training, {low, high},
                                low + high, {0, 20, 60});
    EXPECT_GT(gains.back(), 5.0) << method << " " << parameters.dump();
  }
}

TEST(NmfTasks, DenoiseImprovesSiSdrUnderImpulsiveNoise) {
  const Stft stft({1024, 1024, 256, WindowType::hamming, Framing::centered_reflect});
  const Signal clean = notes("clean", 150, 400, 4);
  // Paper 000's impulsive noise: STFT power log-normal with scale 4, uniform phase, at -10 dB.
  RandomStream rng(8, "impulses");
  ComplexArray noise_spec(stft.bins(), stft.frames(clean.size()));
  for (Eigen::Index i = 0; i < noise_spec.size(); ++i) {
    noise_spec.data()[i] =
        std::polar(std::exp(2 * rng.normal()), 2 * std::numbers::pi * rng.uniform());
  }
  Signal noise = stft.inverse(noise_spec, clean.size());
  noise *= std::sqrt(clean.square().sum() / noise.square().sum() * 10);
  const Signal mixture = clean + noise;
  const std::vector<int> checkpoints = {0, 25, 50};
  const auto t = run_task("complex_nmf", {{"model", "t"}, {"nu", 4.0}, {"components", 10}},
                          Task::denoise, stft, {}, {clean}, mixture, checkpoints);
  const auto gaussian = run_task("complex_nmf", {{"components", 10}}, Task::denoise, stft, {},
                                 {clean}, mixture, checkpoints);
  EXPECT_GT(t[2], 3.0);
  EXPECT_GT(t[2], t[0]);
  // The heavy-tailed model ignores the impulses that the Gaussian one fits (paper 000, Table I).
  EXPECT_GT(t[2], gaussian[2] + 2.0);
}

TEST(NmfTasks, StateRoundTripsAndSeparationIsReproducible) {
  const Stft stft({256, 256, 64, WindowType::hann, Framing::centered_reflect});
  const std::vector<Signal> training = {notes("a", 100, 200, 1), notes("b", 600, 900, 1)};
  const Signal mixture = notes("a2", 100, 200, 1) + notes("b2", 600, 900, 1);
  const Json parameters = {{"components", 4}, {"train_iterations", 20}};
  auto first = method_registry().make("complex_nmf", Task::separate, parameters);
  RunContext context{RandomStream(1, "cell"), {10}, nullptr, nullptr};
  first->fit({stft.forward(training[0]), stft.forward(training[1])}, context);
  auto second = method_registry().make("complex_nmf", Task::separate, parameters);
  second->load_state(Json::parse(first->save_state().dump()));
  std::vector<std::vector<ComplexArray>> outputs;
  context.report = [&](int, const std::vector<ComplexArray>& s) { outputs.push_back(s); };
  first->run(Task::separate, stft.forward(mixture), context);
  second->run(Task::separate, stft.forward(mixture), context);
  ASSERT_EQ(outputs.size(), 2u);
  for (std::size_t l = 0; l < 2; ++l) EXPECT_TRUE((outputs[0][l] == outputs[1][l]).all());
}

TEST(NmfTasks, MisuseIsAnError) {
  auto m = method_registry().make("complex_nmf", Task::separate, Json::object());
  RunContext context{
      RandomStream(1, "x"), {5}, [](int, const std::vector<ComplexArray>&) {}, nullptr};
  EXPECT_NE(testing::error_message([&] {
              m->run(Task::separate, ComplexArray::Ones(5, 5), context);
            }).find("fit()"),
            std::string::npos);
  context.checkpoints = {5, 2};
  EXPECT_NE(testing::error_message([&] {
              m->run(Task::denoise, ComplexArray::Ones(5, 5), context);
            }).find("ascending"),
            std::string::npos);
  EXPECT_NE(testing::error_message([&] { m->load_state(Json::object()); }).find("'bases'"),
            std::string::npos);
}

}  // namespace
}  // namespace nmfbench

namespace nmfbench {
namespace {

// The embedded guitar stand-in through paper 000's denoising task (Algorithm 1) with its
// settings: Hamming 1024/256 at 8 kHz, impulsive noise at -10 dB, K = 30.
TEST(NmfTasks, EmbeddedGuitarThroughTheDenoiseTask) {
  const auto guitar = data::make_dataset("embedded-guitar", {});
  const Stft stft({1024, 1024, 256, WindowType::hamming, Framing::centered_reflect});
  const Signal clean = guitar->load("A", "lick01").sources[0].audio;
  RandomStream rng(1, "A/lick01/noise");
  const data::Mixture mix =
      data::mix_at_snr(clean, data::impulsive_noise(clean.size(), stft, rng).waveform, -10);
  const auto gains = run_task("complex_nmf", {{"model", "t"}, {"nu", 1.0}}, Task::denoise, stft, {},
                              {clean}, mix.mixture, {0, 100});
  EXPECT_GT(gains[1], 3.0);
}

}  // namespace
}  // namespace nmfbench
