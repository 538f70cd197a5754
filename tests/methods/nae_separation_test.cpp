// Separation with per-source autoencoders and convolutive NMF (paper 002, eqs. 8-10): the
// reference's fitted activations and separated signals, and a separation learnt from scratch.

#include <gtest/gtest.h>

#include "core/metrics.hpp"
#include "core/optim/parameters.hpp"
#include "datasets/synthesis.hpp"
#include "methods/nae/network.hpp"
#include "methods/registry.hpp"
#include "nae_cases.hpp"

namespace nmfbench::nae {
namespace {

using testing::key;
using testing::NaeCase;

std::vector<Array> decoder_of(const NaeCase& c, int k) {
  const std::string p = key("dec", k, "_");
  if (c.model() == "shallow") return {c.array(p + "W_dec")};
  if (c.model() == "conv") return {c.array(p + "D")};
  return {c.array(p + "W3"), c.array(p + "W4")};
}

struct SeparationCase {
  const char* name;
  const char* method;
  Json parameters;
};

class NaeSeparationReference : public ::testing::TestWithParam<SeparationCase> {};

TEST_P(NaeSeparationReference, FittedActivationsAndSignalsMatch) {
  const SeparationCase s = GetParam();
  const NaeCase c(s.name);
  const Signal x_mix = c.array("x_mix").col(0);
  const std::string framing = c.params()["stft"]["framing"];
  const Stft stft({512, 512, 128, WindowType::sqrt_hann, parse_framing(framing)});
  const ComplexArray mixture = stft.forward(x_mix);
  const Array x = mixture.abs();
  const std::vector<std::vector<Array>> decoders = {decoder_of(c, 1), decoder_of(c, 2)};

  // The fit from Z = 0, step by step.
  const auto taps = s.parameters.value("taps", 1);
  std::vector<Array> z0;
  for (const auto& d : decoders) z0.push_back(Array::Zero(d.front().cols() / taps, x.cols()));
  ActivationFit fit(decoders, Activation::softplus, x, c.param("lam"), z0);
  const auto& losses = c.expected()["loss_per_step"];
  for (int step = 1; step <= 40; ++step) {
    c.expect_scalar(fit.step(), losses[step - 1], 1e-10, key("loss before step ", step));
    if (step != 1 && step != 40) continue;
    for (std::size_t k = 0; k < 2; ++k) {
      const std::string name = key(key("Z", k + 1, "_step"), step);
      c.expect_array(fit.z(k), c.array(name), name, 1e-10);
    }
  }

  // The method, from the decoders as its state: eq. 10's masks at the last checkpoint.
  auto method = method_registry().make(s.method, Task::separate, s.parameters);
  Json sources = Json::array();
  for (const auto& d : decoders) {
    ParameterSet set;
    for (std::size_t i = 0; i < d.size(); ++i) set.add(key("W", i), d[i]);
    sources.push_back(set.to_json());
  }
  method->load_state({{"sources", sources}});
  std::vector<ComplexArray> estimates;
  RunContext context{RandomStream(1, "cell"), {1, 40}, nullptr, nullptr};
  context.report = [&](int, const std::vector<ComplexArray>& e) { estimates = e; };
  method->run(Task::separate, mixture, context);
  ASSERT_EQ(estimates.size(), 2u);
  for (std::size_t k = 0; k < 2; ++k) {
    const std::string name = key("s", k + 1);
    const Signal got = stft.inverse(estimates[k], x_mix.size());
    c.expect_array(got, c.array(name), name, 1e-10);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Reference, NaeSeparationReference,
    ::testing::Values(
        SeparationCase{"sep_small", "nae", {{"components", 4}, {"lambda", 0.1}}},
        SeparationCase{"sep_deep", "nae", {{"components", 5}, {"layers", 2}, {"lambda", 0.05}}},
        SeparationCase{"sep_conv", "conv_nae", {{"components", 4}, {"taps", 3}, {"lambda", 0.1}}}),
    [](const auto& info) { return std::string(info.param.name); });

// Two synthetic talkers, a low and a high voice: each model learnt on 2 s of its talker,
// then fitted to a 0 dB mixture of 1 s of each.
TEST(NaeSeparation, LearntModelsImproveSiSdr) {
  constexpr int kRate = 8000;
  RandomStream rng(11, "nae-separation");
  const data::Voice low{90, 130, 1}, high{200, 280, 1.18};
  const std::vector<Signal> training = {data::synthetic_speech(rng, low, kRate, 2),
                                        data::synthetic_speech(rng, high, kRate, 2)};
  const Signal a = data::synthetic_speech(rng, low, kRate, 1);
  const Signal b = data::synthetic_speech(rng, high, kRate, 1);
  const Signal mixture = a + b;
  const Stft stft({512, 512, 128, WindowType::sqrt_hann, Framing::centered_reflect});
  for (const auto& [method, parameters] : std::vector<std::pair<std::string, Json>>{
           {"nae", {{"components", 10}, {"train_iterations", 150}}},
           {"nae", {{"components", 10}, {"layers", 2}, {"train_iterations", 150}}},
           {"conv_nae", {{"components", 10}, {"taps", 4}, {"train_iterations", 150}}},
           {"conv_nmf", {{"components", 10}, {"taps", 4}, {"train_iterations", 60}}}}) {
    auto m = method_registry().make(method, Task::separate, parameters);
    RunContext context{RandomStream(5, "cell"), {0, 100}, nullptr, nullptr};
    m->fit({stft.forward(training[0]), stft.forward(training[1])}, context);
    // The example figure's factors: both sources' 10 bases and their activations.
    Array bases, activations;
    context.factors = [&](const Array& b, const Array& h) {
      bases = b;
      activations = h;
    };
    std::vector<Real> gains, first;
    context.report = [&](int, const std::vector<ComplexArray>& sources) {
      first.push_back(si_sdr(a, stft.inverse(sources[0], a.size())));
      gains.push_back(0.5 * (si_sdr_improvement(a, stft.inverse(sources[0], a.size()), mixture) +
                             si_sdr_improvement(b, stft.inverse(sources[1], b.size()), mixture)));
    };
    m->run(Task::separate, stft.forward(mixture), context);
    ASSERT_EQ(gains.size(), 2u);
    EXPECT_GT(gains[1], 3.0) << method << " " << parameters.dump();
    EXPECT_EQ(bases.rows(), stft.bins()) << method;
    EXPECT_EQ(bases.cols(), 20) << method;
    EXPECT_EQ(activations.rows(), 20) << method;
    EXPECT_EQ(activations.cols(), stft.frames(mixture.size())) << method;
    EXPECT_GT(bases.minCoeff(), 0) << method;  // drawn in dB
    context.factors = nullptr;
    // The state round-trips: a model loaded from it separates identically.
    auto loaded = method_registry().make(method, Task::separate, parameters);
    loaded->load_state(Json::parse(m->save_state().dump()));
    std::vector<Real> again;
    context.report = [&](int, const std::vector<ComplexArray>& sources) {
      again.push_back(si_sdr(a, stft.inverse(sources[0], a.size())));
    };
    loaded->run(Task::separate, stft.forward(mixture), context);
    EXPECT_EQ(again, first) << method;
  }
}

// A spec's training block fills in the shared training loop's parameters (train_steps,
// epochs) of every configuration that declares them; per-source learning is not that loop.
TEST(NaeSeparation, PerSourceLearningIsNotTheSharedTrainingLoop) {
  for (const char* name : {"nae", "conv_nae", "conv_nmf"}) {
    for (const auto& p : method_registry().find(name).info.parameters) {
      EXPECT_NE(p.name, "train_steps") << name;
      EXPECT_NE(p.name, "epochs") << name;
    }
  }
}

// A second fit replaces the models of the first, however many sources each had.
TEST(NaeSeparation, FittingAgainReplacesTheModels) {
  auto m = method_registry().make("conv_nmf", Task::separate,
                                  {{"components", 2}, {"taps", 2}, {"train_iterations", 3}});
  RunContext context{RandomStream(5, "cell"), {1}, nullptr, nullptr};
  const ComplexArray a = ComplexArray::Constant(9, 12, Complex(1, 1));
  m->fit({a, 2.0 * a}, context);
  EXPECT_EQ(m->save_state()["sources"].size(), 2u);
  m->fit({a}, context);
  EXPECT_EQ(m->save_state()["sources"].size(), 1u);
}

TEST(NaeSeparation, RefusesToDenoiseOrSeparateUntrained) {
  auto m = method_registry().make("nae", Task::separate, Json::object());
  RunContext context{RandomStream(5, "cell"), {1}, nullptr, nullptr};
  const ComplexArray mixture = ComplexArray::Ones(257, 10);
  EXPECT_NE(testing::error_message([&] {
              m->run(Task::separate, mixture, context);
            }).find("no trained source models"),
            std::string::npos);
  EXPECT_NE(testing::error_message([&] {
              m->load_state({{"sources", 3}});
            }).find("expected an array 'sources'"),
            std::string::npos);
  EXPECT_FALSE(testing::error_message([] {
                 method_registry().make("nae", Task::denoise, Json::object());
               }).empty());
}

}  // namespace
}  // namespace nmfbench::nae
