// A method trained on a split goes through the runner as a plugin: bin_gain (one folder, one
// registration line) is trained with validation and early stopping, cached, reused and
// evaluated as a feed-forward method, with no runner code of its own.
#include <gtest/gtest.h>

#include <fstream>

#include "core/metrics.hpp"
#include "datasets/dataset.hpp"
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

namespace nmfbench::exp {
namespace {

// Speech enhancement on the CHiME2 stand-in: the corpus's own mixtures, the speech the only
// scored source, results broken down by the input SNR.
TEST(TrainedPlugin, EnhancesGivenMixturesScoringTheSpeechOnly) {
  const Json spec = Json::parse(R"({
    "name": "enhance", "seed": 4, "task": "separate",
    "dataset": {"loader": "embedded-speech-noise", "splits": ["dev"], "max_examples": 6},
    "training": {"split": "train", "validation_split": "dev", "epochs": 3},
    "stft": {"window": "sqrt_hann", "window_length": 256, "hop": 64},
    "methods": [{"label": "gain", "method": "bin_gain", "parameters": {"learning_rate": 0.2}}],
    "checkpoints": {"list": [1]},
    "scoring": {"sources": ["target"]},
    "tables": [{"name": "by_snr", "metric": "sdr", "by": "snr"}]})");
  const Json results = run_and_read(spec, testing::scratch_dir(), 2);
  const auto dataset = data::make_dataset("embedded-speech-noise", {"", 8000, Json::object()});
  for (const auto& cell : results["cells"]) {
    ASSERT_EQ(cell["status"], "ok") << cell.dump();
    const Json& point = cell["final"];
    ASSERT_EQ(point["si_sdr"].size(), 2u);  // speech and the rest, both estimated
    EXPECT_EQ(point["scored"]["si_sdr"], point["si_sdr"][0]);
    EXPECT_EQ(point["scored"]["sdr"], point["sdr"][0]);
    // The mixture is the corpus's own, not one the runner mixed.
    const data::Example example = dataset->load("dev", cell["example"]);
    EXPECT_EQ(cell["labels"]["snr"], example.labels.at("snr"));
    const Real input = point["si_sdr"][0].get<Real>() - point["si_sdr_imp"][0].get<Real>();
    EXPECT_NEAR(input, si_sdr(example.sources[0].audio, example.mixture), 1e-9) << cell["key"];
  }
  const std::string md = results::render_tables(results, "md");
  EXPECT_NE(
      md.find("| method | dev -6dB | dev -3dB | dev 0dB | dev 3dB | dev 6dB | dev 9dB | dev avg |"),
      std::string::npos)
      << md;
}

}  // namespace
}  // namespace nmfbench::exp

namespace nmfbench::exp {
namespace {

namespace fs = std::filesystem;

// The length of training is one choice: the spec's steps replace a method's default epochs,
// and a configuration's own choice wins over the spec's.
TEST(TrainedPlugin, StepsOrEpochsIsOneChoice) {
  Json spec = gain_spec(2);
  spec["training"].erase("epochs");
  spec["training"]["steps"] = 3;
  EXPECT_EQ(parse_spec(spec).methods[0].parameters["train_steps"], 3);
  EXPECT_EQ(parse_spec(spec).methods[0].parameters["epochs"], 0);  // bin_gain's default is 20
  spec["methods"][0]["parameters"]["epochs"] = 2;
  EXPECT_EQ(parse_spec(spec).methods[0].parameters["train_steps"], 0);
  EXPECT_EQ(parse_spec(spec).methods[0].parameters["epochs"], 2);
  spec["methods"][0]["parameters"]["train_steps"] = 4;
  const ExperimentSpec both = parse_spec(spec);
  auto method = method_registry().make("bin_gain", Task::denoise, both.methods[0].parameters);
  RunContext context{RandomStream(1, "t"), {}, nullptr, nullptr};
  const Stft stft(both.stft);
  const TrainingData data{{&stft, 1, nullptr}, {}};
  EXPECT_NE(testing::error_message([&] {
              method->train(Task::denoise, data, context);
            }).find("give one length of training, not both"),
            std::string::npos);
}

// A failed cell of a configuration trained on a split is run again (its training may have
// failed, or been missing, only then); other failed cells stay as recorded.
TEST(TrainedPlugin, FailedCellsOfTrainedConfigurationsAreRunAgain) {
  const auto dir = testing::scratch_dir();
  Json spec = gain_spec(2);
  spec["methods"].push_back(
      {{"label", "nmf"}, {"method", "complex_nmf"}, {"parameters", {{"components", 3}}}});
  const ExperimentSpec parsed = parse_spec(spec);
  run_and_read(spec, dir, 2);
  const fs::path cells = dir / "gain" / ("cells-" + cell_identity(parsed));
  for (const auto& f : fs::directory_iterator(cells)) {
    Json record = testing::read_json(f.path());
    record["status"] = "failed";
    record["error"] = "its training failed: the disk was full";
    std::ofstream(f.path()) << record.dump();
  }
  RunOptions options;
  options.out = dir;
  const RunSummary again = run_experiment(parsed, options);
  EXPECT_EQ(again.ran, again.cells / 2);     // the gain's cells; the NMF's stay failed
  EXPECT_EQ(again.failed, again.cells / 2);  // and still count as failed
}

}  // namespace
}  // namespace nmfbench::exp
