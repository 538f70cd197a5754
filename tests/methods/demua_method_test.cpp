// DeMUA as a registered method: training lowers the loss, and trained state saved and loaded
// reproduces the same estimates.
#include <gtest/gtest.h>

#include "core/stft.hpp"
#include "methods/demua/demua_method.hpp"
#include "methods/registry.hpp"
#include "test_support.hpp"

namespace nmfbench::demua {
namespace {

const Stft& small_stft() {
  static const Stft stft({256, 256, 64, WindowType::hann, Framing::centered_zero});
  return stft;
}

// Two examples whose noise is drawn afresh on every call, as in training.
TrainingSet noisy_examples() {
  return {&small_stft(), 2, [](std::size_t index, RandomStream& rng) {
            const Signal clean = testing::test_signal(2400, "clean" + std::to_string(index));
            // Impulsive: a few large spikes over a little background.
            Signal noise = 0.05 * rng.normal_array(clean.size(), 1).col(0);
            for (int k = 0; k < 40; ++k) noise[static_cast<Eigen::Index>(rng.below(2400))] += 4;
            return TrainingItem{clean + noise, {clean}, {}};
          }};
}

Json small_parameters(const std::string& phi, int steps) {
  return {{"phi", phi},
          {"components", 4},
          {"stacks", 20},
          {"truncation", 10},
          {"train_steps", steps},
          {"batch_size", 2},
          {"learning_rate", phi == "nn" ? 0.01 : 0.05},
          {"train_initialisations", 2}};
}

// The mean training loss over a fixed set of draws (the same noise for every model).
Real fixed_loss(const DemuaMethod& method, const TrainingSet& data) {
  Unrolling unrolling;
  unrolling.stacks = 20;
  unrolling.recorded = 0;
  Real sum = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    RandomStream rng(77, "draw" + std::to_string(i));
    const TrainingItem item = data.draw(i % data.size, rng);
    const Initialiser init = [&](const Array& y, Array& w, Array& h) {
      RandomStream start(78, "start" + std::to_string(i));
      w = start.uniform_array(y.rows(), 4, 0.1, 1);
      h = start.uniform_array(4, y.cols(), 0.1, 1) * y.mean();
    };
    sum += denoise_loss(method.phi(), *data.stft, item, unrolling, init).loss;
  }
  return sum / 4;
}

class Trained : public ::testing::TestWithParam<std::string> {};

TEST_P(Trained, ShortTrainingLowersTheLoss) {
  const TrainingSet data = noisy_examples();
  const Json parameters = small_parameters(GetParam(), 8);
  auto method = method_registry().make("demua", Task::denoise, parameters);
  auto& demua = dynamic_cast<DemuaMethod&>(*method);
  ASSERT_EQ(method_registry().find("demua").info.capabilities(Task::denoise).split,
            SplitLearning::end_to_end);
  const Real before = fixed_loss(demua, data);
  RunContext context{RandomStream(1, "train"), {}, nullptr, nullptr};
  method->train(Task::denoise, {data, {}}, context);
  const Real after = fixed_loss(demua, data);
  EXPECT_LT(after, before) << "Phi after training: " << demua.phi().describe().dump();
  EXPECT_EQ(method->summary()["training_log"].size(), 8u);
}

TEST_P(Trained, SavedStateReproducesTheEstimates) {
  const Json parameters = small_parameters(GetParam(), 2);
  auto trained = method_registry().make("demua", Task::denoise, parameters);
  RunContext context{RandomStream(1, "train"), {1, 5}, nullptr, nullptr};
  trained->train(Task::denoise, {noisy_examples(), {}}, context);
  const Json state = Json::parse(trained->save_state().dump());  // through text, as on disk
  auto loaded = method_registry().make("demua", Task::denoise, parameters);
  loaded->load_state(state);

  RandomStream rng(3, "mixture");
  const ComplexArray mixture = small_stft().forward(noisy_examples().draw(0, rng).mixture);
  auto estimates = [&](Method& m) {
    std::vector<ComplexArray> out;
    RunContext run{RandomStream(4, "cell"), {1, 5}, [&](int, const std::vector<ComplexArray>& s) {
                     out.push_back(s[0]);
                   }};
    m.run(Task::denoise, mixture, run);
    return out;
  };
  const auto expected = estimates(*trained), actual = estimates(*loaded);
  ASSERT_EQ(actual.size(), 2u);
  for (std::size_t i = 0; i < expected.size(); ++i)
    EXPECT_EQ((actual[i] - expected[i]).abs().maxCoeff(), 0);
  // A different Phi than the state's is refused.
  auto other = method_registry().make("demua", Task::denoise,
                                      small_parameters(GetParam() == "t" ? "ggd" : "t", 0));
  EXPECT_NE(testing::error_message([&] { other->load_state(state); }).find("Phi is"),
            std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Demua, Trained, ::testing::Values("t", "ggd", "nn"));

TEST(DemuaMethod, TruncationBeyondTheStacksIsAnError) {
  EXPECT_NE(testing::error_message([] {
              method_registry().make("demua", Task::denoise, {{"stacks", 10}, {"truncation", 20}});
            }).find("truncation must not exceed stacks"),
            std::string::npos);
}

}  // namespace
}  // namespace nmfbench::demua

namespace nmfbench::demua {
namespace {

// Exactly silent stretches (zero power, r = 0) keep every Phi finite, in fitting and
// separating alike.
TEST(DemuaMethod, SilenceKeepsEveryPhiFinite) {
  Signal a = testing::test_signal(3200, "a"), b = testing::test_signal(3200, "b");
  a.segment(800, 1200).setZero();
  b.segment(1600, 1200).setZero();
  for (const char* phi : {"t", "ggd", "nn"}) {
    auto method = method_registry().make(
        "demua", Task::separate,
        {{"phi", phi}, {"components", 4}, {"stacks", 30}, {"truncation", 10}});
    RunContext context{RandomStream(2, "fit"), {20}, nullptr, nullptr};
    method->fit({small_stft().forward(a), small_stft().forward(b)}, context);
    bool finite = true;
    context.report = [&](int, const std::vector<ComplexArray>& sources) {
      for (const auto& s : sources) finite = finite && all_finite(s.abs());
    };
    method->run(Task::separate, small_stft().forward(a + b), context);
    EXPECT_TRUE(finite) << phi;
  }
}

}  // namespace
}  // namespace nmfbench::demua
