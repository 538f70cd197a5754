// A replayed cell is the sweep's cell: the same record, and the spectrograms and factorisation
// behind it for the single-example figure; what it needs and is not cached is trained again.
#include <gtest/gtest.h>

#include "experiments/runner.hpp"
#include "experiments/sweep_support.hpp"
#include "results/results.hpp"
#include "test_support.hpp"

namespace nmfbench::exp {
namespace {

namespace fs = std::filesystem;

const Json& cell_of(const Json& results, const std::string& key) {
  for (const auto& cell : results["cells"])
    if (cell["key"] == key) return cell;
  throw Error("no cell " + key);
}

std::size_t files_in(const fs::path& dir) {
  return static_cast<std::size_t>(
      std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

TEST(Replay, DenoisingCellIsTheSweepsWithItsFactors) {
  const auto dir = testing::scratch_dir();
  const Json spec = Json::parse(R"({
    "name": "replay", "seed": 9, "task": "denoise",
    "dataset": {"loader": "embedded-guitar", "splits": ["B"], "max_examples": 2},
    "mixing": {"noise": "impulsive", "snr_db": -5},
    "stft": {"window": "hann", "window_length": 256, "hop": 64},
    "methods": [{"label": "t", "method": "complex_nmf", "parameters": {"model": "t", "components": 5}}],
    "initialisations": 2,
    "checkpoints": {"every": 5, "until": 10}})");
  const Json results = run_and_read(spec, dir, 2);
  const std::string key = results["cells"][3]["key"];  // the second example, second start
  const CellView view = replay_cell(parse_spec(spec), key, dir / "replay" / "trained", false);
  EXPECT_EQ(view.record["curve"], cell_of(results, key)["curve"]);
  ASSERT_EQ(view.estimates.size(), 1u);
  ASSERT_EQ(view.references.size(), 1u);
  EXPECT_EQ(view.mixture.rows(), 129);
  EXPECT_EQ(view.estimates[0].cols(), view.mixture.cols());
  EXPECT_EQ(view.bases.rows(), 129);
  EXPECT_EQ(view.bases.cols(), 5);
  EXPECT_EQ(view.activations.rows(), 5);
  EXPECT_EQ(view.activations.cols(), view.mixture.cols());
  // The estimate is eq. (15) of these factors: the model's magnitude, the mixture's phase.
  const Array model = (view.bases.matrix() * view.activations.matrix()).array();
  EXPECT_LT((view.estimates[0].abs2() - model).abs().maxCoeff(), 1e-9 * model.maxCoeff());

  EXPECT_NE(testing::error_message([&] {
              replay_cell(parse_spec(spec), "t|B|nope|d0|i0", dir / "unused", false);
            }).find("has no cell 't|B|nope|d0|i0' (keys look like 't|B|"),
            std::string::npos);
}

// Separation replays from the run's per-example fits; the bases of both sources sit side by
// side.
TEST(Replay, SeparationCellUsesTheRunsTrainedBases) {
  const auto dir = testing::scratch_dir();
  const Json spec = Json::parse(R"({
    "name": "replay", "seed": 3, "task": "separate",
    "dataset": {"loader": "embedded-speakers", "splits": ["set1"], "options": {"pairs_per_set": 1}},
    "stft": {"window": "hann", "window_length": 256, "hop": 64},
    "methods": [{"method": "complex_nmf", "parameters": {"components": 4, "train_iterations": 5}}],
    "checkpoints": {"list": [5]}})");
  const Json results = run_and_read(spec, dir, 2);
  const fs::path trained = dir / "replay" / "trained";
  const std::size_t fits = files_in(trained);
  const std::string key = results["cells"][0]["key"];
  const CellView view = replay_cell(parse_spec(spec), key, trained, false);
  EXPECT_EQ(files_in(trained), fits);
  EXPECT_EQ(view.record["curve"], cell_of(results, key)["curve"]);
  ASSERT_EQ(view.estimates.size(), 2u);
  EXPECT_EQ(view.bases.cols(), 8);
  EXPECT_EQ(view.activations.rows(), 8);
}

// Without the run's trained state, the replay trains the split as the run did and gets the
// same cell.
TEST(Replay, MissingSplitTrainingIsTrainedAgain) {
  const auto dir = testing::scratch_dir();
  const Json spec = Json::parse(R"({
    "name": "replay", "seed": 5, "task": "denoise",
    "dataset": {"loader": "embedded-guitar", "splits": ["A", "B"], "max_examples": 1},
    "training": {"split": "A"},
    "mixing": {"noise": "impulsive", "snr_db": -10},
    "stft": {"window": "hann", "window_length": 256, "hop": 64},
    "methods": [{"label": "demua", "method": "demua", "parameters": {"phi": "t", "components": 4,
                 "stacks": 8, "truncation": 4, "train_steps": 2, "batch_size": 2}}],
    "checkpoints": {"list": [8]}})");
  const Json results = run_and_read(spec, dir, 2);
  const std::string key = results["cells"][1]["key"];
  const CellView view = replay_cell(parse_spec(spec), key, dir / "elsewhere", false);
  EXPECT_EQ(files_in(dir / "elsewhere"), 1u);
  EXPECT_EQ(view.record["curve"], cell_of(results, key)["curve"]);
}

}  // namespace
}  // namespace nmfbench::exp
