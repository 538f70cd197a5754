// Where the network Phi starts: from weights drawn from the run's streams, keyed by the method
// configuration, and with nn_init from the t model, whose results it then reproduces untrained.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "experiments/sweep_support.hpp"
#include "test_support.hpp"

namespace nmfbench::exp {
namespace {

namespace fs = std::filesystem;

Json spec_with(const std::string& name, const Json& methods) {
  Json spec = Json::parse(R"({
    "seed": 3, "task": "denoise",
    "dataset": {"loader": "embedded-guitar", "splits": ["A", "B"], "max_examples": 1},
    "training": {"split": "A"},
    "mixing": {"noise": "impulsive", "snr_db": -10},
    "stft": {"window": "hamming", "window_length": 1024, "hop": 256},
    "checkpoints": {"every": 20, "until": 60}})");
  spec["name"] = name;
  spec["methods"] = methods;
  return spec;
}

Json demua(const std::string& label, Json parameters) {
  parameters["stacks"] = 60;
  parameters["truncation"] = 4;
  parameters["train_steps"] = 0;
  return {{"label", label}, {"method", "demua"}, {"parameters", parameters}};
}

// The network weights of every trained model file of a run, by file name.
std::map<std::string, Json> network_weights(const fs::path& trained) {
  std::map<std::string, Json> weights;
  for (const auto& f : fs::directory_iterator(trained))
    weights[f.path().filename().string()] = testing::read_json(f.path())["state"]["phi"];
  return weights;
}

TEST(DemuaStart, WarmStartedNetworkReproducesTheUntrainedTModel) {
  const auto dir = testing::scratch_dir();
  const Json results = run_and_read(
      spec_with("warm", Json::array({demua("t", {{"phi", "t"}, {"nu", 4}}),
                                     demua("nn", {{"phi", "nn"}, {"nn_init", "t"}, {"nu", 4}}),
                                     demua("random", {{"phi", "nn"}})})),
      dir, 2);
  std::map<std::string, std::vector<Real>> curves;
  for (const auto& cell : results["cells"])
    for (const auto& point : cell["curve"])
      curves[cell["method"].get<std::string>()].push_back(point["mean_si_sdr_imp"].get<Real>());
  ASSERT_EQ(curves["t"].size(), 8u);  // 2 splits x checkpoints 0, 20, 40, 60
  Real largest = 0, from_random = 0;
  for (std::size_t i = 0; i < curves["t"].size(); ++i) {
    largest = std::max(largest, std::abs(curves["nn"][i] - curves["t"][i]));
    from_random = std::max(from_random, std::abs(curves["random"][i] - curves["t"][i]));
  }
  EXPECT_LT(largest, 0.1);
  EXPECT_GT(from_random, 0.5);  // the comparison is not vacuous: a random network differs
}

TEST(DemuaStart, InitialWeightsAreKeyedByTheConfiguration) {
  const auto dir = testing::scratch_dir();
  const Json a = demua("a", {{"phi", "nn"}, {"learning_rate", 0.001}});
  const Json b = demua("b", {{"phi", "nn"}, {"learning_rate", 0.002}});
  run_and_read(spec_with("both", Json::array({a, b})), dir / "both", 1);
  run_and_read(spec_with("both", Json::array({b})), dir / "alone", 1);
  const auto both = network_weights(dir / "both" / "both" / "trained");
  const auto alone = network_weights(dir / "alone" / "both" / "trained");
  ASSERT_EQ(both.size(), 2u);
  ASSERT_EQ(alone.size(), 1u);
  // b starts from the same weights whether or not a is listed before it, and a from others.
  EXPECT_EQ(both.at(alone.begin()->first), alone.begin()->second);
  EXPECT_NE(both.begin()->second, std::next(both.begin())->second);
}

}  // namespace
}  // namespace nmfbench::exp
