// What the runner guarantees against hostile input and accidents: a non-finite score never
// wedges a sweep, an unreadable cached file is set aside and recomputed, two runs never share
// a run folder, cosmetic spec edits keep finished cells, and a training failure is recorded
// with its reason.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <fstream>

#include "experiments/model_file.hpp"
#include "experiments/run_lock.hpp"
#include "experiments/runner.hpp"
#include "results/results.hpp"
#include "test_support.hpp"

namespace nmfbench::exp {
namespace {

namespace fs = std::filesystem;
using testing::error_message;

Json tiny_spec(const std::string& name) {
  return Json::parse(R"({
    "name": ")" + name +
                     R"(", "replicates": "nothing", "seed": 3, "task": "denoise",
    "dataset": {"loader": "embedded-guitar", "splits": ["A"], "max_examples": 2},
    "stft": {"window": "hann", "window_length": 256, "hop": 64},
    "methods": [{"method": "complex_nmf", "parameters": {"components": 4}}],
    "checkpoints": {"list": [3]},
    "tables": [{"name": "t", "title": "first title", "iterations": [3]}]})");
}

RunSummary run(const Json& spec, const fs::path& out) {
  RunOptions options;
  options.out = out;
  options.threads = 1;
  return run_experiment(parse_spec(spec), options);
}

fs::path cell_dir(const Json& spec, const fs::path& out) {
  return out / spec["name"].get<std::string>() / ("cells-" + cell_identity(parse_spec(spec)));
}

// A folder corpus in `root`: audio files and the manifest naming them.
void folder_corpus(const fs::path& root, const std::vector<std::pair<std::string, Signal>>& files,
                   const std::string& manifest) {
  for (const auto& [name, audio] : files)
    testing::write_audio_file(root / name, SF_FORMAT_WAV | SF_FORMAT_FLOAT, audio, 8000);
  std::ofstream(root / "manifest.json") << manifest;
}

// A separation spec on one example of two sources in a folder corpus at `root`, whose second
// source is trained on `second_training`.
Json separation_spec(const std::string& name, const fs::path& root, const Signal& second_training) {
  folder_corpus(root,
                {{"a.wav", testing::test_signal(8000, "a")},
                 {"b.wav", testing::test_signal(8000, "b")},
                 {"ta.wav", testing::test_signal(8000, "ta")},
                 {"tb.wav", second_training}},
                R"({"examples": [{"id": "x", "split": "s", "sources": ["a.wav", "b.wav"],
                                  "training": [["ta.wav"], ["tb.wav"]]}]})");
  Json spec = tiny_spec(name);
  spec["task"] = "separate";
  spec["dataset"] = {{"loader", "folder"}, {"root", root.string()}, {"splits", {"s"}}};
  spec["scoring"] = {{"bss_eval_at", Json::array()}};  // SI-SDR alone meets the silent source
  return spec;
}

// Silent training audio gave an infinite SI-SDR stored as "ok" with nulls; building results
// then failed on every rerun, since the cell was cached. A rerun that reads the failed cell
// from the cache still reports it (and so exits 3), not "0 failed".
TEST(Reliability, ANonFiniteScoreIsAFailedCellAndResultsStillBuild) {
  const fs::path root = testing::scratch_dir() / "corpus", out = root.parent_path() / "out";
  const Json spec = separation_spec("nonfinite", root, Signal::Zero(8000));
  for (int attempt = 0; attempt < 2; ++attempt) {  // the second run reads the cached cell
    const RunSummary s = run(spec, out);
    EXPECT_EQ(s.failed, 1u);
    EXPECT_EQ(s.skipped, static_cast<std::size_t>(attempt == 1));
    ASSERT_FALSE(s.results.empty());
    const Json r = results::read_results(s.results.string());
    EXPECT_EQ(r["cells"][0]["status"], "failed");
    const std::string error = r["cells"][0]["error"];
    EXPECT_NE(error.find("no finite score: the metric si_sdr"), std::string::npos) << error;
    EXPECT_NE(error.find("at iteration 0"), std::string::npos) << error;
  }
}

// A cell or model file cut short (a full disk, before writes were checked) made every later
// run skip it and die on a parse error that named no file.
TEST(Reliability, AnUnreadableCachedCellIsSetAsideAndRecomputed) {
  const Json spec = tiny_spec("truncated");
  const fs::path out = testing::scratch_dir();
  const Json first = results::read_results(run(spec, out).results.string());
  const fs::path cell = fs::directory_iterator(cell_dir(spec, out))->path();
  fs::resize_file(cell, 40);
  const RunSummary again = run(spec, out);
  EXPECT_EQ(again.ran, 1u);
  EXPECT_EQ(again.skipped, 1u);
  EXPECT_TRUE(fs::exists(cell.string() + ".unusable"));
  const Json second = results::read_results(again.results.string());
  for (std::size_t i = 0; i < 2; ++i)
    EXPECT_EQ(second["cells"][i]["final"], first["cells"][i]["final"]);
}

TEST(Reliability, AnUnreadableTrainedModelIsSetAsideAndTrainedAgain) {
  const fs::path root = testing::scratch_dir() / "corpus", out = root.parent_path() / "out";
  const Json spec = separation_spec("model", root, testing::test_signal(8000, "tb"));
  const Json first = results::read_results(run(spec, out).results.string());
  const fs::path model = fs::directory_iterator(out / "model" / "trained")->path();
  fs::resize_file(model, 100);
  fs::remove_all(cell_dir(spec, out));
  const RunSummary again = run(spec, out);
  EXPECT_EQ(again.failed, 0u);
  EXPECT_TRUE(fs::exists(model.string() + ".unusable"));
  EXPECT_NO_THROW(read_model(model));
  EXPECT_EQ(results::read_results(again.results.string())["cells"][0]["final"],
            first["cells"][0]["final"]);
}

// Two runs sharing one --out both computed every cell, and one died on a shared temporary name.
TEST(Reliability, ARunFolderIsLockedWhileARunUsesIt) {
  const Json spec = tiny_spec("locked");
  const fs::path out = testing::scratch_dir();
  fs::create_directories(out / "locked");
  {
    const RunLock held(out / "locked", RunLock::Mode::fail);
    const std::string msg = error_message([&] { run(spec, out); });
    EXPECT_NE(msg.find("another nmfbench run is using '" + (out / "locked").string()),
              std::string::npos)
        << msg;
    EXPECT_NE(msg.find("--wait-lock"), std::string::npos) << msg;
    // Waiting ends when the run is interrupted.
    const std::atomic<bool> cancel{true};
    RunOptions options;
    options.out = out;
    options.wait_for_lock = true;
    options.cancel = &cancel;
    EXPECT_TRUE(run_experiment(parse_spec(spec), options).cancelled);
  }
  EXPECT_EQ(run(spec, out).ran, 2u);  // released with its holder
}

// Changing a table's title or what the spec replicates recomputed every cell.
TEST(Reliability, CosmeticEditsKeepTheFinishedCells) {
  Json spec = tiny_spec("cosmetic");
  const fs::path out = testing::scratch_dir();
  EXPECT_EQ(run(spec, out).ran, 2u);
  spec["replicates"] = "something else";
  spec["tables"][0]["title"] = "second title";
  spec["tables"].push_back({{"name", "u"}, {"iterations", {0}}});
  const Json reordered = Json::parse(nlohmann::json::parse(spec.dump()).dump());  // keys sorted
  EXPECT_EQ(cell_identity(parse_spec(reordered)), cell_identity(parse_spec(tiny_spec("x"))));
  const RunSummary again = run(reordered, out);
  EXPECT_EQ(again.ran, 0u);
  EXPECT_EQ(again.skipped, 2u);
  const Json r = results::read_results(again.results.string());
  EXPECT_EQ(r["manifest"]["spec"]["tables"][0]["title"], "second title");
  // What determines the numbers does count, a field added later included.
  for (const auto& edit : std::vector<std::function<void(Json&)>>{
           [](Json& s) { s["stft"]["hop"] = 32; }, [](Json& s) { s["seed"] = 4; },
           [](Json& s) {
             s["checkpoints"]["list"] = {3, 6};
           },
           [](Json& s) { s["methods"][0]["parameters"]["components"] = 5; }}) {
    Json changed = tiny_spec("cosmetic");
    edit(changed);
    EXPECT_NE(cell_identity(parse_spec(changed)), cell_identity(parse_spec(tiny_spec("x"))));
  }
  ExperimentSpec with_new_field = parse_spec(tiny_spec("x"));
  with_new_field.source["scoring"] = "bss_eval";
  EXPECT_NE(cell_identity(with_new_field), cell_identity(parse_spec(tiny_spec("x"))));
}

// A DeMUA training failure was logged to stderr only; its cells said "failed or was
// interrupted".
TEST(Reliability, ATrainingFailureIsRecordedWithItsReason) {
  const fs::path root = testing::scratch_dir() / "corpus", out = root.parent_path() / "out";
  folder_corpus(root,
                {{"short.wav", testing::test_signal(100, "s")},
                 {"long.wav", testing::test_signal(8000, "l")}},
                R"({"examples": [{"id": "t", "split": "train", "sources": ["short.wav"]},
                       {"id": "e", "split": "test", "sources": ["long.wav"]}]})");
  Json spec = tiny_spec("training");
  spec["dataset"] = {{"loader", "folder"}, {"root", root.string()}, {"splits", {"test"}}};
  spec["training"] = {{"split", "train"}};
  spec["methods"] = Json::parse(R"([{"method": "demua", "parameters": {"phi": "t",
      "components": 4, "stacks": 2, "truncation": 1, "train_steps": 1, "batch_size": 1}}])");
  const RunSummary s = run(spec, out);
  ASSERT_EQ(s.failed, 1u);
  const std::string error = results::read_results(s.results.string())["cells"][0]["error"];
  EXPECT_NE(error.find("not trained on split 'train': its training failed: stft: reflect padding"),
            std::string::npos)
      << error;
}

}  // namespace
}  // namespace nmfbench::exp
