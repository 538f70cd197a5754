// A method trained on a split goes through the runner as a plugin: bin_gain (one folder, one
// registration line) is trained with validation and early stopping, cached, reused and
// evaluated as a feed-forward method, with no runner code of its own.
#include <gtest/gtest.h>

#include "experiments/runner.hpp"
#include "experiments/sweep_support.hpp"
#include "methods/registry.hpp"
#include "results/results.hpp"
#include "test_support.hpp"

namespace nmfbench::exp {
namespace {

namespace fs = std::filesystem;

Json gain_spec(int patience) {
  return Json::parse(R"({
    "name": "gain", "seed": 4, "task": "denoise",
    "dataset": {"loader": "embedded-guitar", "splits": ["A", "B"], "max_examples": 2},
    "training": {"split": "A", "validation_split": "B", "epochs": 40, "patience": )" +
                     std::to_string(patience) + R"(},
    "mixing": {"noise": "white", "snr_db": 0},
    "stft": {"window": "hann", "window_length": 256, "hop": 128},
    "methods": [{"label": "gain", "method": "bin_gain", "parameters": {"learning_rate": 0.2, "batch_size": 3}}],
    "checkpoints": {"list": [10]},
    "tables": [{"name": "t", "iterations": [10], "metric": "sdr"}]})");
}

TEST(TrainedPlugin, CapabilitiesAloneDecideHowTheRunnerTreatsIt) {
  const MethodInfo& info = method_registry().find("bin_gain").info;
  EXPECT_EQ(info.capabilities(Task::denoise).split, SplitLearning::end_to_end);
  EXPECT_FALSE(info.capabilities(Task::denoise).iterative);
  EXPECT_FALSE(info.capabilities(Task::separate).per_example);
}

TEST(TrainedPlugin, TrainsWithValidationStopsEarlyAndIsCachedAndEvaluated) {
  const auto dir = testing::scratch_dir();
  const Json results = run_and_read(gain_spec(2), dir / "one", 2);
  const Json& log = results["models"]["gain"]["training_log"];
  ASSERT_FALSE(log.empty());
  EXPECT_TRUE(results["models"]["gain"]["trained"]);
  // Validation at every epoch (A has 6 examples: 2 steps per epoch), and patience honoured:
  // training ended two validations after its best one, long before 40 epochs.
  std::vector<Real> validation;
  for (const auto& entry : log)
    if (entry.contains("validation_loss")) validation.push_back(entry["validation_loss"]);
  ASSERT_GE(validation.size(), 3u);
  EXPECT_LT(log.size(), 80u);
  const auto best = std::min_element(validation.begin(), validation.end()) - validation.begin();
  EXPECT_EQ(static_cast<std::size_t>(best) + 3, validation.size());
  EXPECT_LT(validation[static_cast<std::size_t>(best)], validation.front());

  // Feed-forward: one estimate, at checkpoint 0, with BSS Eval though 0 is not listed.
  for (const auto& cell : results["cells"]) {
    ASSERT_EQ(cell["status"], "ok") << cell.dump();
    ASSERT_EQ(cell["curve"].size(), 1u);
    EXPECT_EQ(cell["final"]["iteration"], 0);
    EXPECT_TRUE(cell["final"]["scored"].contains("sdr"));
  }
  EXPECT_NE(results::render_tables(results, "md").find("| gain |"), std::string::npos);

  // The trained state is cached: another run (here with other checkpoints) reuses it.
  const fs::path trained = dir / "one" / "gain" / "trained";
  ASSERT_EQ(std::distance(fs::directory_iterator(trained), fs::directory_iterator()), 1);
  const auto written = fs::last_write_time(fs::directory_iterator(trained)->path());
  Json other = gain_spec(2);
  other["checkpoints"]["list"] = {20};
  other["tables"][0]["iterations"] = {20};
  const Json again = run_and_read(other, dir / "one", 2);
  EXPECT_EQ(fs::last_write_time(fs::directory_iterator(trained)->path()), written);
  EXPECT_EQ(again["cells"][0]["final"]["si_sdr"], results["cells"][0]["final"]["si_sdr"]);

  // The validation split is part of the cache key: without it, training starts afresh.
  Json no_validation = gain_spec(2);
  no_validation["training"].erase("validation_split");
  no_validation["training"].erase("patience");
  no_validation["training"]["epochs"] = 2;
  run_and_read(no_validation, dir / "one", 2);
  EXPECT_EQ(std::distance(fs::directory_iterator(trained), fs::directory_iterator()), 2);
}

TEST(TrainedPlugin, TheSpecsTrainingBlockGivesDefaultsAConfigurationMayOverride) {
  Json spec = gain_spec(5);
  spec["methods"][0]["parameters"]["patience"] = 7;
  const ExperimentSpec parsed = parse_spec(spec);
  EXPECT_EQ(parsed.methods[0].parameters["epochs"], 40);
  EXPECT_EQ(parsed.methods[0].parameters["patience"], 7);
  spec["training"]["steps"] = 3;
  EXPECT_NE(testing::error_message([&] { parse_spec(spec); }).find("not both"), std::string::npos);
}

}  // namespace
}  // namespace nmfbench::exp
