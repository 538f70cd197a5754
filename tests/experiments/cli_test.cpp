#include <gtest/gtest.h>
#include <sndfile.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <memory>

#include "core/audio_io.hpp"
#include "core/random.hpp"
#include "core/stoi.hpp"
#include "test_support.hpp"

namespace nmfbench {
namespace {

using testing::CommandResult;

CommandResult run(const std::string& arguments) {
  return testing::run_command(std::string(NMFBENCH_BINARY) + " " + arguments);
}

std::string metrics_file(const std::string& name) {
  return (testing::data_dir() / "metrics" / name).string();
}

TEST(Cli, VersionAndHelp) {
  const CommandResult v = run("--version");
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_NE(v.output.find("nmfbench 0."), std::string::npos) << v.output;
  const CommandResult h = run("metrics --help");
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.output.find("--no-permutation"), std::string::npos) << h.output;
  const CommandResult list = run("list");
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_NE(list.output.find("complex_nmf: Complex-PDF NMF"), std::string::npos) << list.output;
  EXPECT_NE(list.output.find("nu (real in [1e-06, 1e+06], default 1.0)"), std::string::npos)
      << list.output;
}

TEST(Cli, UsageErrorsExitWithTwo) {
  EXPECT_EQ(run("").exit_code, 2);
  const CommandResult unknown = run("frobnicate");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.output.find("unknown verb 'frobnicate'"), std::string::npos);
  const CommandResult bad = run("metrics --ref a.wav --est");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("--est"), std::string::npos) << bad.output;
  EXPECT_EQ(run("metrics --ref a.wav b.wav --est c.wav").exit_code, 2);
}

TEST(Cli, MetricsScoresFilesAsJson) {
  const std::string c = "c4_two_source_16k_10s_";
  // Estimates given in swapped order: the permutation search must pair them back.
  const CommandResult r =
      run("metrics --ref " + metrics_file(c + "ref0.wav") + " " + metrics_file(c + "ref1.wav") +
          " --est " + metrics_file(c + "est1.wav") + " " + metrics_file(c + "est0.wav"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const Json j = Json::parse(r.output);
  EXPECT_EQ(j["perm"], Json({1, 0}));
  EXPECT_EQ(j["sample_rate"], 16000);
  ASSERT_EQ(j["sources"].size(), 2u);
  EXPECT_NEAR(j["sources"][0]["si_sdr"].get<double>(), 14.192028516567028, 1e-9);
  EXPECT_NEAR(j["sources"][0]["sdr"].get<double>(), 14.206723807230864, 0.01);
  EXPECT_NE(j["sources"][0]["estimate"].get<std::string>().find("est0.wav"), std::string::npos);
  // STOI of the permuted pair, as core/stoi computes it on the files.
  const Signal ref0 = read_audio(metrics_file(c + "ref0.wav")).samples;
  const Signal est0 = read_audio(metrics_file(c + "est0.wav")).samples;
  EXPECT_NEAR(j["sources"][0]["stoi"].get<double>(), stoi(ref0, est0, 16000), 1e-12);
  EXPECT_NEAR(j["sources"][0]["estoi"].get<double>(), stoi(ref0, est0, 16000, true), 1e-12);

  const CommandResult single =
      run("metrics --no-permutation --ref " + metrics_file("c1_scaled_8k_ref0.wav") + " --est " +
          metrics_file("c1_scaled_8k_est0.wav"));
  ASSERT_EQ(single.exit_code, 0) << single.output;
  EXPECT_EQ(Json::parse(single.output)["sources"][0]["sir"], "inf");
}

TEST(Cli, MetricsReportsBadFilesWithExitOne) {
  const CommandResult missing = run("metrics --ref /nonexistent/r.wav --est /nonexistent/e.wav");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.output.find("/nonexistent/r.wav"), std::string::npos) << missing.output;
  const CommandResult rates = run("metrics --ref " + metrics_file("c1_scaled_8k_ref0.wav") +
                                  " --est " + metrics_file("c2_filtered_16k_est0.wav"));
  EXPECT_EQ(rates.exit_code, 1);
  EXPECT_NE(rates.output.find("sample rate 16000 Hz, expected 8000 Hz"), std::string::npos)
      << rates.output;
}

TEST(Cli, DemoWritesAudioAndScores) {
  const auto dir = testing::scratch_dir();
  const CommandResult r = run("demo --out " + dir.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* f : {"clean.wav", "noisy.wav", "denoised.wav", "demo.json"}) {
    EXPECT_TRUE(std::filesystem::exists(dir / f)) << f;
  }
  const Json j = testing::read_json(dir / "demo.json");
  EXPECT_EQ(j["curve"].size(), 7u);
  EXPECT_EQ(j["curve"].back()["iteration"], 300);
  EXPECT_GT(j["curve"].back()["si_sdr_imp"].get<double>(), 3.0);
  EXPECT_EQ(run("demo --model cauchy --out " + dir.string()).exit_code, 1);
}

}  // namespace
}  // namespace nmfbench

namespace nmfbench {
namespace {

// A model trained by the runner runs on a user's own WAV; a model of the other task, a
// missing file and a silent file are errors that say so.
TEST(Cli, TrainedModelDenoisesAUsersRecording) {
  const auto dir = testing::scratch_dir();
  std::ofstream(dir / "spec.json") << R"({
    "name": "model", "seed": 5, "task": "denoise",
    "dataset": {"loader": "embedded-guitar", "splits": ["B"], "max_examples": 1},
    "training": {"split": "A"},
    "mixing": {"noise": "impulsive", "snr_db": -10},
    "stft": {"window": "hann", "window_length": 256, "hop": 64},
    "methods": [{"method": "demua", "parameters": {"phi": "ggd", "components": 4, "stacks": 8,
                 "truncation": 4, "train_steps": 1, "batch_size": 1}}],
    "checkpoints": {"list": [8]}})";
  ASSERT_EQ(run("run " + (dir / "spec.json").string() + " --out " + dir.string()).exit_code, 0);
  const auto model = std::filesystem::directory_iterator(dir / "model" / "trained")->path();
  const Signal noisy =
      testing::test_signal(4000, "user") + 0.1 * RandomStream(1, "n").normal_array(4000, 1).col(0);
  testing::write_audio_file(dir / "noisy.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, noisy, 16000);

  const CommandResult r = run("denoise --model " + model.string() + " --in " +
                              (dir / "noisy.wav").string() + " --out " + (dir / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("resampling"), std::string::npos);  // 16 kHz in, 8 kHz model
  EXPECT_TRUE(std::filesystem::exists(dir / "out" / "denoised.wav"));

  const CommandResult wrong_task =
      run("separate --model " + model.string() + " --in " + (dir / "noisy.wav").string());
  EXPECT_EQ(wrong_task.exit_code, 1);
  EXPECT_NE(wrong_task.output.find("trained for the task 'denoise'"), std::string::npos);
  const CommandResult missing =
      run("denoise --model " + model.string() + " --in " + (dir / "absent.wav").string());
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.output.find("absent.wav"), std::string::npos);
  testing::write_audio_file(dir / "silent.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, Signal::Zero(4000),
                            8000);
  const CommandResult silent =
      run("denoise --model " + model.string() + " --in " + (dir / "silent.wav").string());
  EXPECT_EQ(silent.exit_code, 1);
  EXPECT_NE(silent.output.find("is silent"), std::string::npos);
  const CommandResult not_a_model = run("denoise --model " + (dir / "spec.json").string() +
                                        " --in " + (dir / "noisy.wav").string());
  EXPECT_EQ(not_a_model.exit_code, 1);
  EXPECT_NE(not_a_model.output.find("not an nmfbench model file"), std::string::npos);
}

// The plot verb replays the best method's first cell for the example figure; a key that is not
// a cell of the results is an error that names it, after the other figures are written.
TEST(Cli, PlotDrawsARunsExample) {
  const auto dir = testing::scratch_dir();
  std::ofstream(dir / "spec.json") << R"({
    "name": "plotted", "seed": 5, "task": "denoise",
    "dataset": {"loader": "embedded-guitar", "splits": ["B"], "max_examples": 1},
    "mixing": {"noise": "impulsive", "snr_db": -10},
    "stft": {"window": "hann", "window_length": 256, "hop": 64},
    "methods": [{"method": "complex_nmf", "parameters": {"model": ["gaussian", "t"], "components": 4}}],
    "checkpoints": {"list": [0, 10]}})";
  ASSERT_EQ(run("run " + (dir / "spec.json").string() + " --out " + dir.string()).exit_code, 0);
  const std::string results = (dir / "plotted" / "results.json").string();
  const CommandResult plotted = run("plot " + results);
  ASSERT_EQ(plotted.exit_code, 0) << plotted.output;
  EXPECT_NE(plotted.output.find("replaying cell complex_nmf model="), std::string::npos)
      << plotted.output;
  EXPECT_TRUE(std::filesystem::exists(dir / "plotted" / "figures" / "example.png"));

  const CommandResult no_folder = run("plot " + results + " --trained " + (dir / "typo").string());
  EXPECT_EQ(no_folder.exit_code, 1);
  EXPECT_NE(no_folder.output.find("typo' is not a folder"), std::string::npos) << no_folder.output;
  const CommandResult unknown = run("plot " + results + " --example 'no|such|cell'");
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.output.find("has no cell 'no|such|cell'"), std::string::npos) << unknown.output;
}

}  // namespace
}  // namespace nmfbench
