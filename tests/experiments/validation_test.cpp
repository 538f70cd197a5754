// Input found by probing the command line as a new user would: each case was accepted
// silently, wrapped an integer, allocated gigabytes or failed with a message naming no file.
// Each is now a clear error (exit 1 for bad input, 2 for a bad command line).
#include <gtest/gtest.h>
#include <sndfile.h>

#include <fstream>

#include "core/audio_io.hpp"
#include "core/resample.hpp"
#include "core/stft.hpp"
#include "experiments/model_file.hpp"
#include "methods/registry.hpp"
#include "results/results.hpp"
#include "test_support.hpp"

namespace nmfbench::exp {
namespace {

namespace fs = std::filesystem;
using testing::error_message;

Json valid_spec() {
  return Json::parse(R"({
    "name": "valid", "seed": 3, "task": "denoise",
    "dataset": {"loader": "embedded-guitar", "splits": ["A"], "max_examples": 1},
    "stft": {"window": "hann", "window_length": 256, "hop": 64},
    "methods": [{"method": "complex_nmf", "parameters": {"model": "t", "nu": 2, "components": 4}}],
    "checkpoints": {"list": [3]},
    "tables": [{"name": "t", "iterations": [3]}]})");
}

testing::CommandResult nmfbench(const std::string& arguments) {
  return testing::run_command(std::string(NMFBENCH_BINARY) + " " + arguments);
}

void expect_has(const std::string& message, const std::string& part) {
  EXPECT_NE(message.find(part), std::string::npos)
      << "expected \"" << part << "\" in \"" << message << "\"";
}

TEST(Validation, SpecValuesAreCheckedAgainstTheirRanges) {
  const std::vector<std::pair<std::function<void(Json&)>, std::string>> cases = {
      // [2000000000] ran for ever; [4294967297] wrapped to 1 and exited 0.
      {[](Json& s) { s["checkpoints"]["list"] = {2000000000}; },
       "spec.checkpoints.list[0]: got 2000000000, expected an integer in [0, 1000000]"},
      {[](Json& s) { s["checkpoints"]["list"] = {4294967297}; },
       "spec.checkpoints.list[0]: got 4294967297"},
      {[](Json& s) {
         s["checkpoints"] = {{"every", 1}, {"until", 4294967297}};
       },
       "spec.checkpoints.until: got 4294967297"},
      // .. wrote into the parent of --out; . and a newline were accepted.
      {[](Json& s) { s["name"] = ".."; }, "spec.name: got \"..\", expected a file name"},
      {[](Json& s) { s["name"] = "."; }, "spec.name: got \".\""},
      {[](Json& s) { s["name"] = "a\nb"; }, "spec.name: got \"a\\nb\""},
      {[](Json& s) { s["name"] = "a/b"; }, "spec.name: got \"a/b\""},
      {[](Json& s) { s["name"] = ".hidden"; }, "not starting with '.'"},
      // 0 cells and exit 0.
      {[](Json& s) { s["methods"][0]["parameters"]["nu"] = Json::array(); },
       "spec.methods[0].parameters.nu: got [], expected a value, or a non-empty list of values"},
      // Duplicate cells with one key, counted twice.
      {[](Json& s) {
         s["dataset"]["splits"] = {"A", "A"};
       },
       "spec.dataset.splits: got [\"A\",\"A\"], expected each split named once"},
      {[](Json& s) { s["tables"][0]["iterations"] = 3; },
       "spec.tables[0].iterations: got 3, expected a non-empty array of checkpoints"},
      {[](Json& s) {
         s["task"] = "separate";
         s["mixing"] = {{"levels_db", {-300, 300}}};
       },
       "spec.mixing.levels_db[0]: got -300, expected a number in [-100"},
      {[](Json& s) { s["dataset"]["options"] = Json::array(); },
       "spec.dataset.options: got [], expected an object"},
      {[](Json& s) {
         s["scoring"] = {{"stoi", 1}};
       },
       "spec.scoring.stoi: got 1, expected true or false"},
      {[](Json& s) { s["tables"][0]["statistic"] = "max"; },
       "spec.tables[0].statistic: got \"max\", expected \"mean\", \"median\" or \"iqr\""},
      {[](Json& s) {
         s["tables"][0]["models"] = {"validation_loss", "parameters..P"};
       },
       "spec.tables[0].models[1]: got \"parameters..P\", expected a field of the models' "
       "summaries"},
      {[](Json& s) { s["tables"][0]["models"] = "P"; },
       "spec.tables[0].models: got \"P\", expected an array of model summary fields"},
  };
  for (const auto& [edit, expected] : cases) {
    Json spec = valid_spec();
    edit(spec);
    expect_has(error_message([&] { parse_spec(spec); }), expected);
  }
  EXPECT_NO_THROW(parse_spec(valid_spec()));
}

TEST(Validation, AFolderGivenAsSpecOrModelIsNamed) {
  const fs::path dir = testing::scratch_dir();
  const auto spec = nmfbench("run " + dir.string());
  EXPECT_EQ(spec.exit_code, 1);
  expect_has(spec.output, "spec '" + dir.string() + "': is a folder, expected a JSON file");
  const auto model = nmfbench("denoise --model " + dir.string() + " --in x.wav");
  EXPECT_EQ(model.exit_code, 1);
  expect_has(model.output, "model '" + dir.string() + "': is a folder");
}

TEST(Validation, CommandLineValuesAreWhole) {
  const fs::path dir = testing::scratch_dir();
  std::ofstream(dir / "spec.json") << valid_spec().dump();
  for (const char* shard : {"1/2x", "0/1/2", "x/2", "2/2", " 0/2", "+0/2"}) {
    const auto r = nmfbench("run " + (dir / "spec.json").string() + " --shard '" + shard + "'");
    EXPECT_EQ(r.exit_code, 2) << shard;
    expect_has(r.output, std::string("--shard expects i/n with 0 <= i < n, got '") + shard + "'");
  }
  EXPECT_EQ(nmfbench("run " + (dir / "spec.json").string() + " --threads -1").exit_code, 2);
  EXPECT_EQ(nmfbench("plot r.json --size 100,100x").exit_code, 2);
}

// A model's sample_rate of 1e10 wrapped, and the resampler allocated 11 GB before rejecting
// the ratio.
TEST(Validation, ModelFilesAreCheckedFieldByField) {
  const ExperimentSpec spec = parse_spec(valid_spec());
  const auto method =
      method_registry().make("complex_nmf", Task::denoise, spec.methods[0].parameters);
  const Json good = model_document(spec, spec.methods[0], method->save_state());
  EXPECT_NO_THROW(model_from_json(good, "m"));
  const std::vector<std::pair<std::function<void(Json&)>, std::string>> cases = {
      {[](Json& m) { m["sample_rate"] = 1e10; }, "model 'm': model.sample_rate: got 10000000000"},
      {[](Json& m) { m["sample_rate"] = 4294975296u; }, "model.sample_rate: got 4294975296"},
      {[](Json& m) { m["task"] = 3; }, "model 'm': model.task: got 3, expected \"denoise\""},
      {[](Json& m) { m["stft"]["hop"] = "64"; }, "model 'm': model.stft.hop: got \"64\""},
      {[](Json& m) { m.erase("state"); }, "model 'm': model.state: missing"},
      {[](Json& m) { m["parameters"]["components"] = -1; }, "model 'm': model.parameters:"},
  };
  for (const auto& [edit, expected] : cases) {
    Json model = good;
    edit(model);
    expect_has(error_message([&] { model_from_json(model, "model 'm'"); }), expected);
  }
  // A ratio libsamplerate rejects is refused before anything is allocated.
  expect_has(error_message([] {
               resample({Signal::Ones(100), 8000}, 1000000000);
             }),
             "resample: 8000 Hz -> 1000000000 Hz is a ratio of 125000");
}

// Separation models with only W0, or bases that are all zero, separated nothing silently.
TEST(Validation, SeparationModelsNeedTheBasesOfTwoSources) {
  Json spec_json = valid_spec();
  spec_json["task"] = "separate";
  spec_json["methods"][0]["parameters"] = {{"components", 2}};
  const ExperimentSpec spec = parse_spec(spec_json);
  Json state = {{"bases",
                 {{"W0", {{"rows", 129}, {"cols", 2}, {"data", std::vector<Real>(258, 1.0)}}},
                  {"W1", {{"rows", 129}, {"cols", 2}, {"data", std::vector<Real>(258, 0.5)}}}}}};
  EXPECT_NO_THROW(model_from_json(model_document(spec, spec.methods[0], state), "m"));
  Json zero = state;
  zero["bases"]["W1"]["data"] = std::vector<Real>(258, 0.0);
  expect_has(
      error_message([&] { model_from_json(model_document(spec, spec.methods[0], zero), "m"); }),
      "m: model.state.bases.W1: expected finite, non-negative bases that are not all zero");
  Json one = state;
  one["bases"].erase("W1");
  expect_has(
      error_message([&] { model_from_json(model_document(spec, spec.methods[0], one), "m"); }),
      "model.state.bases: holds the bases of 1 source(s); separating needs two or more");
  Json huge = state;
  huge["bases"]["W0"]["rows"] = 4294967296;
  huge["bases"]["W0"]["cols"] = 4294967296;
  expect_has(
      error_message([&] { model_from_json(model_document(spec, spec.methods[0], huge), "m"); }),
      "rows: got 4294967296");
}

// A model with a huge Phi parameter was blamed on the denoised.wav it could not write.
TEST(Validation, ANonFiniteEstimateIsBlamedOnTheModel) {
  Json spec_json = valid_spec();
  spec_json["methods"][0] = Json::parse(
      R"({"method": "demua", "parameters": {"phi": "ggd", "components": 4, "train_steps": 0}})");
  spec_json["training"] = {{"split", spec_json["dataset"]["splits"][0]}};
  const ExperimentSpec spec = parse_spec(spec_json);
  const auto method = method_registry().make("demua", Task::denoise, spec.methods[0].parameters);
  Json state = method->save_state();
  state["phi"]["parameters"]["theta"]["data"][0] = 1000.0;
  const fs::path dir = testing::scratch_dir();
  std::ofstream(dir / "model.json") << model_document(spec, spec.methods[0], state).dump();
  testing::write_audio_file(dir / "in.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT,
                            testing::test_signal(8000, "in"), 8000);
  const auto r = nmfbench("denoise --model " + (dir / "model.json").string() + " --in " +
                          (dir / "in.wav").string() + " --out " + dir.string() + " --iterations 3");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  expect_has(r.output, "model '" + (dir / "model.json").string() + "': its estimate for '");
  EXPECT_FALSE(fs::exists(dir / "denoised.wav"));
}

// A 64-bit WAV with one 1e300 sample scored null metrics with exit 0; two-sample files scored
// an SDR of 97.7 dB; a silent reference was "source 0".
TEST(Validation, AudioThatCannotBeScoredIsRefusedNamingTheFile) {
  const fs::path dir = testing::scratch_dir();
  Signal loud = testing::test_signal(4000, "x");
  loud[7] = 1e300;
  testing::write_audio_file(dir / "loud.wav", SF_FORMAT_WAV | SF_FORMAT_DOUBLE, loud, 8000);
  expect_has(error_message([&] { read_audio(dir / "loud.wav"); }),
             "loud.wav': holds samples too large to score");
  testing::write_audio_file(dir / "ref.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT,
                            testing::test_signal(4000, "r"), 8000);
  testing::write_audio_file(dir / "two.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, Signal::Ones(2),
                            8000);
  testing::write_audio_file(dir / "zero.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, Signal::Zero(4000),
                            8000);
  const auto shortest = nmfbench("metrics --ref " + (dir / "two.wav").string() + " --est " +
                                 (dir / "two.wav").string());
  EXPECT_EQ(shortest.exit_code, 1);
  expect_has(shortest.output, "two.wav': 2 samples; BSS Eval needs at least 512");
  const auto silent = nmfbench("metrics --ref " + (dir / "zero.wav").string() + " --est " +
                               (dir / "ref.wav").string());
  EXPECT_EQ(silent.exit_code, 1);
  expect_has(silent.output, "audio file '" + (dir / "zero.wav").string() + "' is silent");
}

// A hop of 1 with the largest FFT threw std::bad_alloc inside a cell.
TEST(Validation, AnOversizedStftIsAClearError) {
  const Stft stft({65536, 131072, 1, WindowType::hann, Framing::centered_zero});
  expect_has(error_message([&] { stft.frames(80000); }),
             "stft: 80000 samples at fft_size 131072 and hop 1 give 80001 frames of 65537 bins");
}

// An empty cells list left a partial PNG (exit 1); --size 100000,100000 a 0-byte PNG (exit 0).
TEST(Validation, PlotChecksBeforeItDrawsAndLeavesNoBrokenImage) {
  const fs::path dir = testing::scratch_dir();
  const Json manifest = {{"spec", {{"name", "p"}}}, {"data", "d"}, {"commit", "c"}};
  std::ofstream(dir / "empty.json") << results::make_results(manifest, Json::array()).dump();
  const auto empty = nmfbench("plot " + (dir / "empty.json").string() + " --example none");
  EXPECT_EQ(empty.exit_code, 1);
  expect_has(empty.output, "the results hold no finished cell");
  const Json cell = {{"key", "m|A|x|d0|i0"},
                     {"method", "m"},
                     {"split", "A"},
                     {"status", "ok"},
                     {"curve", {{{"iteration", 3}, {"mean_si_sdr_imp", 1.5}}}},
                     {"final", {{"iteration", 3}, {"mean_si_sdr_imp", 1.5}}}};
  // Aggregates left behind without their cells are no finished cell either.
  Json cut = results::make_results(manifest, Json::array({cell}));
  cut["cells"] = Json::array();
  std::ofstream(dir / "cut.json") << cut.dump();
  for (const char* example : {"none", "best"}) {
    const auto without_cells =
        nmfbench("plot " + (dir / "cut.json").string() + " --example " + example);
    EXPECT_EQ(without_cells.exit_code, 1);
    expect_has(without_cells.output, "the results hold no finished cell (0 cells");
  }
  EXPECT_FALSE(fs::exists(dir / "figures"));
  std::ofstream(dir / "one.json") << results::make_results(manifest, Json::array({cell})).dump();
  const auto huge =
      nmfbench("plot " + (dir / "one.json").string() + " --example none --size 100000,100000");
  EXPECT_EQ(huge.exit_code, 1);
  expect_has(huge.output, "the image size 100000x100000 is out of range");
  EXPECT_FALSE(fs::exists(dir / "figures"));
  // A results file without what the figures need is named with the missing field.
  std::ofstream(dir / "bare.json") << R"({"schema": "nmfbench-results", "schema_version": 1})";
  const auto bare = nmfbench("table " + (dir / "bare.json").string());
  EXPECT_EQ(bare.exit_code, 1);
  expect_has(bare.output,
             "results '" + (dir / "bare.json").string() + "': results.manifest: missing");
}

}  // namespace
}  // namespace nmfbench::exp
