// The shared training loop: batches, validation, early stopping with patience, the best
// weights restored, and its log.
#include "methods/training_loop.hpp"

#include <gtest/gtest.h>

#include <set>

namespace nmfbench {
namespace {

// Fits a scalar w to the mean of the training items' values; the validation loss is the
// distance to another target, so validation improves, then worsens, while training goes on.
class Toy final : public Trainable {
 public:
  Toy() { parameters_.add("w", Array::Zero(1, 1)); }
  ParameterSet& parameters() override { return parameters_; }
  Real loss(const TrainingSet& data, const std::vector<BatchItem>& batch, bool gradient) override {
    const Real w = parameters_.value("w")(0, 0);
    Real loss = 0, grad = 0;
    for (const auto& item : batch) {
      RandomStream rng = item.rng;
      const Real target = data.draw(item.index, rng).mixture[0];
      loss += (w - target) * (w - target) / static_cast<Real>(batch.size());
      grad += 2 * (w - target) / static_cast<Real>(batch.size());
      seen.push_back(item.index);
    }
    if (gradient) parameters_.grad("w")(0, 0) = grad;
    return loss;
  }
  void parameters_changed() override { ++changes; }
  std::vector<std::size_t> seen;
  int changes = 0;

 private:
  ParameterSet parameters_;
};

TrainingSet constant_set(std::size_t size, Real value) {
  return {
      nullptr, size, [value](std::size_t index, RandomStream&) {
        return TrainingItem{Signal::Constant(1, value + 0.001 * static_cast<Real>(index)), {}, {}};
      }};
}

RunContext context() {
  return RunContext{RandomStream(3, "loop"), {}, nullptr, nullptr};
}

TEST(TrainingLoop, StopsAfterPatienceAndRestoresTheBestWeights) {
  Toy toy;
  RunContext c = context();
  // Training pulls w from 0 towards 10; validation is best near w = 2.
  const TrainingData data{constant_set(4, 10), constant_set(1, 2)};
  TrainingOptions o{.optimizer = "sgd",
                    .learning_rate = 0.05,
                    .steps = 200,
                    .batch = 2,
                    .eval_every = 1,
                    .patience = 3};
  const Json log = run_training(toy, data, o, c, "toy");
  // The validation loss falls while w < 2, then rises: three evaluations later it stops.
  std::size_t best = 0;
  for (std::size_t i = 0; i < log.size(); ++i) {
    ASSERT_TRUE(log[i].contains("validation_loss"));
    ASSERT_TRUE(log[i].contains("wall_s"));
    if (log[i]["validation_loss"] < log[best]["validation_loss"]) best = i;
  }
  EXPECT_EQ(log.size(), best + 1 + 3) << "patience 3: three evaluations past the best";
  EXPECT_LT(log.size(), 200u);
  // The weights are those of the best evaluation: its validation loss is the distance to 2.
  const Real w = toy.parameters().value("w")(0, 0);
  EXPECT_NEAR((w - 2) * (w - 2), log[best]["validation_loss"].get<Real>(), 1e-12);
  EXPECT_EQ(toy.changes, static_cast<int>(log.size()) + 1);  // each step, and the restore
}

TEST(TrainingLoop, WithoutPatienceItRunsEveryStepAndKeepsTheBest) {
  Toy toy;
  RunContext c = context();
  const TrainingData data{constant_set(4, 10), constant_set(1, 2)};
  const TrainingOptions o{
      .optimizer = "sgd", .learning_rate = 0.05, .steps = 50, .batch = 2, .eval_every = 10};
  const Json log = run_training(toy, data, o, c, "toy");
  ASSERT_EQ(log.size(), 50u);
  int evaluations = 0;
  for (const auto& entry : log) evaluations += entry.contains("validation_loss");
  EXPECT_EQ(evaluations, 5);
}

TEST(TrainingLoop, EpochsVisitEveryExampleOnceInAShuffledOrder) {
  Toy toy;
  RunContext c = context();
  const TrainingOptions o{.optimizer = "adam", .learning_rate = 0.1, .epochs = 3, .batch = 4};
  const Json log = run_training(toy, {constant_set(10, 1), {}}, o, c, "toy");
  EXPECT_EQ(log.size(), 9u);  // ceil(10 / 4) steps per epoch
  ASSERT_EQ(toy.seen.size(), 30u);
  for (int epoch = 0; epoch < 3; ++epoch) {
    const std::set<std::size_t> visited(toy.seen.begin() + epoch * 10,
                                        toy.seen.begin() + epoch * 10 + 10);
    EXPECT_EQ(visited.size(), 10u);
  }
  EXPECT_NE(std::vector<std::size_t>(toy.seen.begin(), toy.seen.begin() + 10),
            std::vector<std::size_t>(toy.seen.begin() + 10, toy.seen.begin() + 20));
}

TEST(TrainingLoop, SameStreamSameTrajectory) {
  auto train = [] {
    Toy toy;
    RunContext c = context();
    const TrainingOptions o{.optimizer = "rprop", .learning_rate = 0.1, .steps = 12, .batch = 3};
    run_training(toy, {constant_set(7, 3), {}}, o, c, "toy");
    return std::make_pair(toy.seen, toy.parameters().value("w")(0, 0));
  };
  EXPECT_EQ(train(), train());
}

TEST(TrainingLoop, ANonFiniteLossIsAnErrorNamingTheStep) {
  Toy toy;
  RunContext c = context();
  const TrainingSet bad{nullptr, 2, [](std::size_t, RandomStream&) {
                          return TrainingItem{Signal::Constant(1, std::nan("")), {}, {}};
                        }};
  const TrainingOptions o{.steps = 3, .batch = 1};
  try {
    run_training(toy, {bad, {}}, o, c, "toy");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("toy training: the loss is not finite at step 1"),
              std::string::npos);
  }
  EXPECT_THROW(make_optimizer({.optimizer = "lbfgs"}), Error);
}

}  // namespace
}  // namespace nmfbench
