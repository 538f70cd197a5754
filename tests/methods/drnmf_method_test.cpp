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
