#include "experiments/runner.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sndfile.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <thread>

#include "experiments/sweep_support.hpp"
#include "results/results.hpp"
#include "test_support.hpp"

namespace nmfbench::exp {
namespace {

namespace fs = std::filesystem;
using testing::error_message;

Json small_spec(const std::string& name) {
  return Json::parse(R"({
    "name": ")" + name +
                     R"(", "seed": 7, "task": "denoise",
    "dataset": {"loader": "embedded-guitar", "splits": ["A", "B"], "max_examples": 2},
    "mixing": {"noise": "impulsive", "snr_db": -5, "draws": 1},
    "stft": {"window": "hann", "window_length": 256, "hop": 64},
    "methods": [{"label": "gauss", "method": "complex_nmf", "parameters": {"components": 5}},
                {"label": "t", "method": "complex_nmf", "parameters": {"model": "t", "nu": [1, 4], "components": 5}}],
    "initialisations": 2,
    "checkpoints": {"every": 4, "until": 12},
    "tables": [{"name": "t1", "iterations": [4, 12]}]})");
}

// The results with the fields that legitimately differ between runs removed: timings and
// how the run was executed.
Json without_timing(Json results) {
  results["manifest"].erase("run");
  for (auto& cell : results["cells"]) cell.erase("runtime_s");
  if (results.contains("models")) {
    for (auto& model : results["models"]) {
      if (!model.contains("training_log")) continue;
      for (auto& entry : model["training_log"]) entry.erase("wall_s");
    }
  }
  return results;
}

TEST(Spec, GridExpansionAndStableKeys) {
  const ExperimentSpec spec = parse_spec(small_spec("grid"));
  ASSERT_EQ(spec.methods.size(), 3u);
  EXPECT_EQ(spec.methods[1].label, "t nu=1");
  EXPECT_EQ(spec.methods[2].parameters["nu"], 4);
  EXPECT_EQ(spec.checkpoints, (std::vector<int>{0, 4, 8, 12}));
  const auto cells = expand_cells(spec);
  EXPECT_EQ(cells.size(), 3u * 2 * 2 * 2);  // methods x splits x examples x initialisations
  EXPECT_EQ(cells.front().key, "gauss|A|lick01|d0|i0");
  EXPECT_EQ(cells.back().key, "t nu=4|B|lick08|d0|i1");
}

TEST(Spec, MalformedSpecsNameThePathAndTheExpectation) {
  const std::vector<std::pair<std::function<void(Json&)>, std::string>> cases = {
      {[](Json& s) { s.erase("seed"); }, "spec.seed: missing"},
      {[](Json& s) { s["seed"] = -3; }, "spec.seed: got -3, expected an integer"},
      {[](Json& s) { s.erase("task"); }, "spec.task: missing"},
      {[](Json& s) { s["task"] = "enhance"; },
       "spec.task: got \"enhance\", expected \"denoise\" or \"separate\""},
      {[](Json& s) { s["dataset"]["splits"] = Json::array(); },
       "spec.dataset.splits: got [], expected a non-empty array"},
      {[](Json& s) { s["dataset"]["loader"] = "wsj0"; }, "unknown dataset loader 'wsj0'"},
      {[](Json& s) { s["stft"]["hop"] = 0; },
       "spec.stft.hop: got 0, expected an integer in [1, 256]"},
      {[](Json& s) { s["methods"][0]["method"] = "nfm"; },
       "spec.methods[0].method: unknown method 'nfm'"},
      {[](Json& s) {
         s["methods"][1]["parameters"]["nu"] = Json::array({1, -2});
       },
       "spec.methods[1].parameters: complex_nmf.nu: -2 is out of range"},
      {[](Json& s) { s["methods"][0]["parameters"]["K"] = 3; },
       "unknown parameter 'K'; valid parameters: model"},
      {[](Json& s) {
         s["methods"][1]["label"] = "gauss";
         s["methods"][1]["parameters"]["nu"] = 1;
       },
       "used twice"},
      {[](Json& s) { s["checkpoints"] = Json::object(); },
       "spec.checkpoints: got {}, expected \"every\""},
      {[](Json& s) { s["tables"][0]["iterations"] = {5}; },
       "spec.tables[0].iterations: got 5, expected an iteration that is among the checkpoints"},
      {[](Json& s) { s["extra"] = 1; }, "spec.extra: unknown field"},
  };
  for (const auto& [edit, expected] : cases) {
    Json spec = small_spec("bad");
    edit(spec);
    const std::string msg = error_message([&] {
      const ExperimentSpec parsed = parse_spec(spec);
      expand_cells(parsed);
    });
    EXPECT_NE(msg.find(expected), std::string::npos)
        << "expected \"" << expected << "\" in \"" << msg << "\"";
  }
  const auto dir = testing::scratch_dir();
  std::ofstream(dir / "broken.json") << "{\"name\": ";
  EXPECT_NE(
      error_message([&] { read_spec(dir / "broken.json"); }).find("broken.json': not valid JSON"),
      std::string::npos);
}

TEST(Runner, OneAndTwoThreadsGiveIdenticalResults) {
  const auto dir = testing::scratch_dir();
  const Json one = run_and_read(small_spec("threads"), dir / "one", 1);
  const Json two = run_and_read(small_spec("threads"), dir / "two", 2);
  EXPECT_EQ(without_timing(one).dump(), without_timing(two).dump());
  EXPECT_EQ(one["cells"].size(), 24u);
  EXPECT_EQ(one["manifest"]["data"], "embedded stand-in (synthetic, not the real corpus)");
  EXPECT_EQ(one["aggregates"][0]["count"], 4);  // 2 examples x 2 initialisations
}

TEST(Runner, MethodsSeeTheSameNoiseAndInitialisations) {
  Json spec = small_spec("paired");
  spec["methods"] =
      Json::parse(R"([{"label": "x", "method": "complex_nmf", "parameters": {"components": 5}},
                                    {"label": "y", "method": "complex_nmf", "parameters": {"components": 5}}])");
  const Json r = run_and_read(spec, testing::scratch_dir(), 2);
  const std::size_t half = r["cells"].size() / 2;
  for (std::size_t i = 0; i < half; ++i)
    EXPECT_EQ(r["cells"][i]["curve"], r["cells"][half + i]["curve"]) << i;
  // Different initialisations of the same example differ.
  EXPECT_NE(r["cells"][0]["curve"], r["cells"][1]["curve"]);
}

TEST(Runner, ShardsMergeIntoTheSingleRunResult) {
  const auto dir = testing::scratch_dir();
  const Json spec = small_spec("shards");
  const Json single = run_and_read(spec, dir / "single", 2);
  for (int i = 0; i < 3; ++i) {
    RunOptions options;
    options.out = dir / ("shard" + std::to_string(i));
    options.shard = i;
    options.shards = 3;
    const RunSummary s = run_experiment(parse_spec(spec), options);
    EXPECT_EQ(s.cells, 8u);
    EXPECT_TRUE(s.results.empty());
  }
  const ExperimentSpec parsed = parse_spec(spec);
  std::vector<fs::path> cells;
  for (int i = 0; i < 3; ++i) {
    cells.push_back(dir / ("shard" + std::to_string(i)) / parsed.name /
                    ("cells-" + cell_identity(parsed)));
  }
  EXPECT_NE(error_message([&] {
              assemble_results(parsed, {cells[0], cells[1]}, dir / "partial.json", {});
            }).find("missing"),
            std::string::npos);
  const auto merged = assemble_results(parsed, cells, dir / "merged.json", {});
  EXPECT_EQ(without_timing(results::read_results(merged.string()))["cells"].dump(),
            without_timing(single)["cells"].dump());
  EXPECT_EQ(results::read_results(merged.string())["aggregates"], single["aggregates"]);
}

TEST(Runner, FailingCellsAreRecordedAndTheSweepGoesOn) {
  const auto root = testing::scratch_dir();
  testing::write_audio_file(root / "good.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT,
                            testing::test_signal(8000, "good"), 8000);
  Signal bad = testing::test_signal(8000, "bad");
  bad[100] = std::numeric_limits<Real>::quiet_NaN();
  testing::write_audio_file(root / "bad.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, bad, 8000);
  std::ofstream(root / "manifest.json")
      << R"({"examples": [{"id": "good", "split": "s", "sources": ["good.wav"]},
                                                             {"id": "bad", "split": "s", "sources": ["bad.wav"]}]})";
  Json spec = small_spec("failing");
  spec["dataset"] = {{"loader", "folder"}, {"root", root.string()}, {"splits", {"s"}}};
  spec["methods"] = Json::parse(R"([{"method": "complex_nmf", "parameters": {"components": 3}}])");
  spec["initialisations"] = 1;
  spec.erase("tables");
  RunOptions options;
  options.out = root / "out";
  const RunSummary s = run_experiment(parse_spec(spec), options);
  EXPECT_EQ(s.failed, 1u);
  const Json r = results::read_results(s.results.string());
  EXPECT_EQ(r["cells"][0]["status"], "ok");
  EXPECT_EQ(r["cells"][1]["status"], "failed");
  EXPECT_NE(r["cells"][1]["error"].get<std::string>().find("bad.wav': contains NaN"),
            std::string::npos);
  EXPECT_EQ(r["failures"][0]["failed_cells"], 1);
}

TEST(Runner, TablesInEveryFormat) {
  const Json r = run_and_read(small_spec("tables"), testing::scratch_dir(), 2);
  const std::string md = results::render_tables(r, "md");
  EXPECT_NE(md.find("| method | A T=4 | A T=12 | B T=4 | B T=12 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| t nu=4 |"), std::string::npos) << md;
  EXPECT_NE(results::render_tables(r, "csv").find("method,A T=4,A T=12,B T=4,B T=12\n\"gauss\","),
            std::string::npos);
  EXPECT_NE(results::render_tables(r, "latex").find("\\begin{tabular}{lrrrr}"), std::string::npos);
  EXPECT_NE(
      error_message([&] { results::render_tables(r, "html"); }).find("expected md, latex or csv"),
      std::string::npos);
}

// Finished cells in `cells`: a run killed while writing one leaves its temporary file, which
// is not a cell.
long finished_cells(const fs::path& cells) {
  std::error_code ec;
  if (!fs::exists(cells, ec)) return 0;
  return std::count_if(fs::directory_iterator(cells), fs::directory_iterator(), [](const auto& e) {
    return e.path().filename().string().find(".tmp") == std::string::npos;
  });
}

// Runs `nmfbench run` on `spec` in a child process, sends it `signal` once `cells_before`
// cells are on disk, and returns its wait status and the cell folder.
std::pair<int, fs::path> interrupt_run(const Json& spec, const fs::path& dir, int signal,
                                       long cells_before) {
  std::ofstream(dir / "spec.json") << spec.dump();
  const fs::path cells =
      dir / "out" / spec["name"].get<std::string>() / ("cells-" + cell_identity(parse_spec(spec)));
  const pid_t child = fork();
  if (child == 0) {
    execl(NMFBENCH_BINARY, NMFBENCH_BINARY, "run", (dir / "spec.json").c_str(), "--threads", "1",
          "--out", (dir / "out").c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  for (int i = 0; i < 3000; ++i) {  // at most 30 s
    if (finished_cells(cells) >= cells_before) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(child, signal);
  int status = 0;
  waitpid(child, &status, 0);
  return {status, cells};
}

// Kill a real run mid-way (SIGKILL, nothing flushed on exit), rerun it, and compare with an
// uninterrupted run: finished cells survive, in-flight ones are redone, the result is equal.
TEST(Runner, ResumesAfterTheProcessIsKilled) {
  const auto dir = testing::scratch_dir();
  Json spec = small_spec("killed");
  spec["checkpoints"] = {{"every", 50}, {"until", 200}};
  spec["tables"] = Json::array();
  const auto [status, cells] = interrupt_run(spec, dir, SIGKILL, 3);
  const long finished = finished_cells(cells);
  EXPECT_GE(finished, 3);
  EXPECT_LT(finished, 24) << "the run finished before it could be killed";
  EXPECT_FALSE(fs::exists(dir / "out" / "killed" / "results.json"));
  RunOptions options;
  options.out = dir / "out";
  const RunSummary resumed = run_experiment(parse_spec(spec), options);
  EXPECT_EQ(resumed.skipped, static_cast<std::size_t>(finished));
  const Json fresh = run_and_read(spec, dir / "fresh", 2);
  EXPECT_EQ(without_timing(results::read_results(resumed.results.string())).dump(),
            without_timing(fresh).dump());
}

}  // namespace
}  // namespace nmfbench::exp

namespace nmfbench::exp {
namespace {

// Separation trains bases per source; the trained state is cached and reused by a later run.
TEST(Runner, TrainedStateIsCachedAndReused) {
  const auto dir = testing::scratch_dir();
  Json spec = Json::parse(R"({
    "name": "trained", "seed": 3, "task": "separate",
    "dataset": {"loader": "embedded-speakers", "splits": ["set1"], "options": {"pairs_per_set": 1}},
    "stft": {"window": "hann", "window_length": 256, "hop": 64},
    "methods": [{"method": "complex_nmf", "parameters": {"components": 4, "train_iterations": 5}}],
    "checkpoints": {"list": [5]}})");
  const Json first = run_and_read(spec, dir, 1);
  EXPECT_EQ(
      std::distance(fs::directory_iterator(dir / "trained" / "trained"), fs::directory_iterator()),
      1);
  // A spec with other checkpoints is another sweep, but its training is the same.
  spec["checkpoints"] = {{"list", {2, 5}}};
  const Json second = run_and_read(spec, dir, 1);
  EXPECT_EQ(
      std::distance(fs::directory_iterator(dir / "trained" / "trained"), fs::directory_iterator()),
      1);
  EXPECT_EQ(first["cells"][0]["final"], second["cells"][0]["final"]);
}

}  // namespace
}  // namespace nmfbench::exp

namespace nmfbench::exp {
namespace {

TEST(BundledSpecs, EveryBundledSpecIsValid) {
  const fs::path dir = fs::path(NMFBENCH_SOURCE_DIR) / "experiments" / "specs";
  int embedded = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const ExperimentSpec spec = read_spec(entry.path());
    EXPECT_FALSE(spec.replicates.empty()) << entry.path();
    EXPECT_EQ(spec.name, entry.path().stem().string());
    if (spec.name.ends_with("_embedded")) {
      EXPECT_FALSE(expand_cells(spec).empty());  // the stand-in data is always there
      ++embedded;
    } else {  // each full-scale spec has its embedded version (which may come in several)
      EXPECT_TRUE(fs::exists(dir / (spec.name + "_embedded.json"))) << spec.name;
    }
  }
  EXPECT_GE(embedded, 2);
}

}  // namespace
}  // namespace nmfbench::exp

namespace nmfbench::exp {
namespace {

// Ctrl-C stops the sweep cleanly: exit code 130, finished cells kept, no partial results.
TEST(Runner, InterruptStopsCleanlyAndKeepsFinishedCells) {
  const auto dir = testing::scratch_dir();
  Json spec = small_spec("interrupted");
  spec["checkpoints"] = {{"every", 50}, {"until", 300}};
  spec["tables"] = Json::array();
  const auto [status, cells] = interrupt_run(spec, dir, SIGINT, 2);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_GE(std::distance(fs::directory_iterator(cells), fs::directory_iterator()), 2);
  EXPECT_FALSE(fs::exists(dir / "out" / "interrupted" / "results.json"));
  for (const auto& f : fs::directory_iterator(cells)) {
    EXPECT_EQ(f.path().extension(), ".json") << "a temporary file was left behind: " << f.path();
    EXPECT_EQ(read_json_file(f.path(), "cell")["status"], "ok");
  }
}

}  // namespace
}  // namespace nmfbench::exp

namespace nmfbench::exp {
namespace {

Json split_trained_spec(const std::string& name) {
  return Json::parse(R"({
    "name": ")" + name +
                     R"(", "seed": 5, "task": "denoise",
    "dataset": {"loader": "embedded-guitar", "splits": ["A", "B"], "max_examples": 1},
    "training": {"split": "A"},
    "mixing": {"noise": "impulsive", "snr_db": -10},
    "stft": {"window": "hann", "window_length": 256, "hop": 64},
    "methods": [{"label": "demua", "method": "demua", "parameters": {"phi": "t", "components": 4,
                 "stacks": 8, "truncation": 4, "train_steps": [0, 2], "batch_size": 2}}],
    "checkpoints": {"list": [8]}})");
}

// A method trained end to end learns once on the training split, before the cells; its model
// file, the results' model summaries and the cells all follow from that one training, and a
// second run reuses it. Training is as deterministic as the rest: 1 and 2 threads agree.
TEST(Runner, SplitTrainingRunsOnceAndEveryCellUsesIt) {
  const auto dir = testing::scratch_dir();
  const Json spec = split_trained_spec("split");
  const Json results = run_and_read(spec, dir / "one", 1);
  const fs::path trained = dir / "one" / "split" / "trained";
  // One model per configuration: the untrained one is its state after no step.
  ASSERT_EQ(std::distance(fs::directory_iterator(trained), fs::directory_iterator()), 2);
  fs::path model;
  for (const auto& f : fs::directory_iterator(trained)) {
    if (!testing::read_json(f.path())["state"]["training_log"].empty()) model = f.path();
  }
  ASSERT_FALSE(model.empty());
  const Json document = testing::read_json(model);
  EXPECT_EQ(document["schema"], "nmfbench-model");
  EXPECT_EQ(document["state"]["training_log"].size(), 2u);

  const Json& models = results["models"];
  EXPECT_FALSE(models["demua train_steps=0"]["trained"].get<bool>());
  EXPECT_TRUE(models["demua train_steps=2"]["trained"].get<bool>());
  EXPECT_NE(models["demua train_steps=2"]["parameters"]["nu"],
            models["demua train_steps=0"]["parameters"]["nu"]);
  EXPECT_EQ(models["demua train_steps=2"]["learned_pdf"]["log_pdf"].size(), 200u);
  // Trained and untrained differ in their estimates.
  EXPECT_NE(results["cells"][0]["final"], results["cells"][2]["final"]);

  const auto written = fs::last_write_time(model);
  run_and_read(spec, dir / "one", 1);  // cells cached; the training is not redone either
  EXPECT_EQ(fs::last_write_time(model), written);
  EXPECT_EQ(without_timing(run_and_read(spec, dir / "two", 2)), without_timing(results));
}

// On a cluster one job trains into a shared cache, the shards only read it, and the merge
// finds the trained models there: the merged results are those of a single run.
TEST(Runner, ShardsShareOneTrainingAndMergeIntoTheSingleRunResult) {
  const auto dir = testing::scratch_dir();
  const Json spec = split_trained_spec("shared");
  const ExperimentSpec parsed = parse_spec(spec);
  const Json single = run_and_read(spec, dir / "single", 1);

  RunOptions training;
  training.out = dir / "cluster";
  training.train_only = true;
  EXPECT_EQ(run_experiment(parsed, training).failed, 0u);
  const fs::path trained = dir / "cluster" / "shared" / "trained";
  // Both configurations: train_steps=0 is its state after no step.
  ASSERT_EQ(std::distance(fs::directory_iterator(trained), fs::directory_iterator()), 2);
  const fs::path model = fs::directory_iterator(trained)->path();
  const auto written = fs::last_write_time(model);
  EXPECT_FALSE(fs::exists(trained.parent_path() / ("cells-" + cell_identity(parsed))))
      << "training alone made a cell folder";

  std::vector<fs::path> cells;
  for (int i = 0; i < 2; ++i) {
    RunOptions shard;
    shard.out = dir / ("shard-" + std::to_string(i));
    shard.shard = i;
    shard.shards = 2;
    shard.trained = trained;
    EXPECT_EQ(run_experiment(parsed, shard).failed, 0u);
    EXPECT_FALSE(fs::exists(shard.out / "shared" / "trained"));
    cells.push_back(shard.out / "shared" / ("cells-" + cell_identity(parsed)));
  }
  EXPECT_EQ(fs::last_write_time(model), written) << "a shard trained again";

  const auto merged = assemble_results(parsed, cells, dir / "merged.json", {}, {trained});
  EXPECT_EQ(without_timing(results::read_results(merged.string())), without_timing(single));
  // Without the shared cache the merge cannot know what the methods learnt.
  const auto blind = assemble_results(parsed, cells, dir / "blind.json", {});
  EXPECT_FALSE(results::read_results(blind.string())["models"]["demua train_steps=2"]["trained"]
                   .get<bool>());
}

TEST(Spec, TrainingOnASplitNeedsTheSplit) {
  Json spec = split_trained_spec("no-split");
  spec.erase("training");
  EXPECT_NE(error_message([&] { parse_spec(spec); }).find("spec.training.split"),
            std::string::npos);
  // Capabilities, not parameters, decide: untrained DeMUA is trained for no step on the split.
  spec["methods"][0]["parameters"]["train_steps"] = 0;
  EXPECT_NE(error_message([&] { parse_spec(spec); }).find("spec.training.split"),
            std::string::npos);
  spec["methods"][0] = {{"method", "complex_nmf"}};  // learns nothing on a split
  EXPECT_NO_THROW(parse_spec(spec));
}

}  // namespace
}  // namespace nmfbench::exp
