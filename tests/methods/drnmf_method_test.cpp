// ista_nmf, dr_nmf and lstm_mask through the runner on the embedded speech+noise stand-in, small
// enough for the test suite: dictionaries learnt on the training split, DR-NMF trained with
// validation, every cell scored.
#include <gtest/gtest.h>

#include "core/optim/parameters.hpp"
#include "experiments/sweep_support.hpp"
#include "methods/registry.hpp"
#include "test_support.hpp"

namespace nmfbench::exp {
namespace {

Json spec() {
  const Json small = {{"speech_components", 6}, {"noise_components", 6}, {"snmf_iterations", 40}};
  Json snmf = small, drnmf = small;
  const Json lstm = {{"hidden", 4}, {"epochs", 2}, {"learning_rate", 0.01}};
  snmf["algorithm"] = "snmf";
  drnmf["epochs"] = 4;
  drnmf["learning_rate"] = 0.01;
  drnmf["patience"] = 0;
  return {
      {"name", "drnmf"},
      {"seed", 3},
      {"task", "separate"},
      {"dataset", {{"loader", "embedded-speech-noise"}, {"splits", {"dev"}}, {"max_examples", 2}}},
      {"training", {{"split", "train"}, {"validation_split", "dev"}}},
      {"stft", {{"window", "sqrt_hann"}, {"window_length", 256}, {"hop", 64}}},
      {"methods",
       {{{"label", "snmf"}, {"method", "ista_nmf"}, {"parameters", snmf}},
        {{"label", "ista"}, {"method", "ista_nmf"}, {"parameters", small}},
        {{"label", "dr"}, {"method", "dr_nmf"}, {"parameters", drnmf}},
        {{"label", "lstm"}, {"method", "lstm_mask"}, {"parameters", lstm}}}},
      {"checkpoints", {{"list", {0, 3}}}},
      {"scoring", {{"sources", {"target"}}}},
      {"tables", {{{"name", "sdr"}, {"metric", "sdr"}}}}};
}

TEST(DrNmfMethods, LearnOnTheSplitTrainWithValidationAndScoreEveryCell) {
  const Json results = run_and_read(spec(), testing::scratch_dir(), 2);
  ASSERT_EQ(results["cells"].size(), 8u);
  for (const auto& cell : results["cells"]) {
    ASSERT_EQ(cell["status"], "ok") << cell.dump();
    EXPECT_TRUE(std::isfinite(cell["final"]["scored"]["sdr"].get<Real>())) << cell["key"];
  }
  // Training lowers the validation loss from the sparse NMF initialisation.
  std::vector<Real> validation;
  for (const auto& entry : results["models"]["dr"]["training_log"])
    if (entry.contains("validation_loss")) validation.push_back(entry["validation_loss"]);
  ASSERT_GE(validation.size(), 2u);
  EXPECT_LT(*std::min_element(validation.begin(), validation.end()), validation.front());
}

// The spec above with only `methods`, scored on dev only at its final checkpoint.
Json spec_of(const Json& methods) {
  Json s = spec();
  s["methods"] = methods;
  return s;
}

Real validation_loss(const Json& results, const std::string& label) {
  return results["models"][label]["validation_loss"].get<Real>();
}

// Paper 003 Table 1: DR-NMF reaches a lower dev loss than the sparse NMF it starts from, after
// a short training (8 epochs, 12 bases, 129 bins; Adam's first steps raise it). The dev loss of
// each model, untrained ones included, and its count of trainable values P are in the results'
// model summaries.
TEST(DrNmfMethods, ShortTrainingLowersTheValidationLossBelowSparseNmfs) {
  const Json small = {{"speech_components", 6}, {"noise_components", 6}, {"snmf_iterations", 40}};
  Json snmf = small, drnmf = small;
  snmf["algorithm"] = "snmf";
  drnmf["epochs"] = {0, 8};
  drnmf["learning_rate"] = 0.01;
  const Json results =
      run_and_read(spec_of({{{"label", "snmf"}, {"method", "ista_nmf"}, {"parameters", snmf}},
                            {{"label", "dr"}, {"method", "dr_nmf"}, {"parameters", drnmf}}}),
                   testing::scratch_dir(), 2);
  const Real sparse = validation_loss(results, "snmf");
  const Real untrained = validation_loss(results, "dr epochs=0");
  const Real trained = validation_loss(results, "dr epochs=8");
  EXPECT_LT(trained, untrained);
  EXPECT_LT(trained, 0.9 * sparse) << "SNMF " << sparse << ", DR-NMF " << trained;
  // F = 129, N = 12, K = 2: the dictionaries F N each, K step sizes, h0, the output ones F N.
  EXPECT_EQ(results["models"]["snmf"]["parameters"]["P"], 129 * 12);
  EXPECT_EQ(results["models"]["dr epochs=8"]["parameters"]["P"], 2 * 129 * 12 + 2 + 12 + 129 * 12);
}

// Early stopping keeps the weights of the best evaluation: with a learning rate too high for
// this problem the validation loss rises after its best epoch, training stops after 2 epochs
// without improvement, and the loss of the weights kept, evaluated again after training, is
// the best one of the log, not the last.
TEST(DrNmfMethods, EarlyStoppingKeepsTheBestEpochsWeights) {
  const Json hot = {{"speech_components", 6}, {"noise_components", 6}, {"snmf_iterations", 40},
                    {"epochs", 12},           {"learning_rate", 0.3},  {"patience", 2}};
  const Json results =
      run_and_read(spec_of({{{"label", "dr"}, {"method", "dr_nmf"}, {"parameters", hot}}}),
                   testing::scratch_dir(), 2);
  std::vector<Real> validation;
  for (const auto& entry : results["models"]["dr"]["training_log"])
    if (entry.contains("validation_loss")) validation.push_back(entry["validation_loss"]);
  ASSERT_LT(validation.size(), 12u) << "no early stop";
  const Real best = *std::min_element(validation.begin(), validation.end());
  ASSERT_GT(validation.back(), best);
  EXPECT_NEAR(validation_loss(results, "dr"), best, 1e-12 * best);
}

TEST(DrNmfMethods, ACellWithoutTrainingSaysSo) {
  Json bad = spec();
  bad.erase("training");
  const std::string message =
      testing::error_message([&] { run_and_read(bad, testing::scratch_dir(), 1); });
  EXPECT_NE(message.find("training"), std::string::npos) << message;
}

// A saved state that is not the configuration's network, or no state at all, is an error that
// names the method and what is wrong.
TEST(DrNmfMethods, RefuseAStateThatIsNotTheirsAndRunningUntrained) {
  const Json config = {{"layers", 3}, {"speech_components", 2}, {"noise_components", 2}};
  auto dr = method_registry().make("dr_nmf", Task::separate, config);
  EXPECT_NE(testing::error_message([&] { dr->load_state(Json::object()); }).find("'parameters'"),
            std::string::npos);
  ParameterSet two_layers;
  for (const char* name : {"Wr1", "Wr2", "h0r", "Wyr", "Wvr"})
    two_layers.add(name, Array::Zero(4, 2));
  two_layers.add("ar", Array::Zero(2, 1));
  EXPECT_NE(testing::error_message([&] {
              dr->load_state({{"parameters", two_layers.to_json()}});
            }).find("not this configuration's"),
            std::string::npos);
  auto lstm = method_registry().make("lstm_mask", Task::separate, Json::object());
  EXPECT_NE(testing::error_message([&] {
              lstm->load_state({{"parameters", two_layers.to_json()}});
            }).find("lstm_mask state"),
            std::string::npos);
  RunContext context{RandomStream(1, "t"), {0}, [](int, const std::vector<ComplexArray>&) {}};
  EXPECT_NE(testing::error_message([&] {
              lstm->run(Task::separate, ComplexArray::Ones(5, 3), context);
            }).find("no trained network"),
            std::string::npos);
  auto ista = method_registry().make("ista_nmf", Task::separate, Json::object());
  EXPECT_NE(
      testing::error_message([&] { ista->load_state(Json::object()); }).find("ista_nmf state"),
      std::string::npos);
  EXPECT_NE(testing::error_message([&] {
              ista->run(Task::separate, ComplexArray::Ones(5, 3), context);
            }).find("no dictionary"),
            std::string::npos);
}

}  // namespace
}  // namespace nmfbench::exp
