// The official-layout loaders on tiny fixture trees written in each corpus's layout.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <fstream>

#include "datasets/dataset.hpp"
#include "test_support.hpp"

namespace nmfbench::data {
namespace {

namespace fs = std::filesystem;

Signal tone(Real seconds, int rate, const std::string& key) {
  return testing::test_signal(static_cast<Eigen::Index>(seconds * rate), key) * 0.1;
}

TEST(IdmtGuitar, FindsTheLicksAnywhereUnderTheRoot) {
  const auto root = testing::scratch_dir();
  for (int n = 1; n <= 12; ++n) {
    const fs::path dir = root / "dataset4" / (n % 2 ? "Ibanez" : "Fender") / "audio";
    testing::write_audio_file(dir / ("AR_Lick" + std::to_string(n) + "_KN.wav"),
                              SF_FORMAT_WAV | SF_FORMAT_PCM_16,
                              tone(0.5 + 0.1 * n, 44100, "lick" + std::to_string(n)), 44100);
  }
  testing::write_audio_file(root / "AR_Lick1_FN.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16,
                            tone(0.1, 44100, "x"), 44100);
  const auto idmt = make_dataset("idmt-smt-guitar", {root, 8000, Json::object()});
  EXPECT_EQ(idmt->splits(), (std::vector<std::string>{"SID1-1", "SID1-2"}));
  const auto ids = idmt->example_ids("SID1-2");
  EXPECT_EQ(ids.front(), "AR_Lick7_KN");
  EXPECT_EQ(ids.size(), 6u);
  const Example e = idmt->load("SID1-2", "AR_Lick7_KN");
  EXPECT_EQ(e.sample_rate, 8000);
  EXPECT_NEAR(static_cast<Real>(e.sources[0].audio.size()) / 8000, 1.2,
              1e-3);  // resampled from 44.1 kHz

  fs::remove(root / "dataset4" / "Ibanez" / "audio" / "AR_Lick3_KN.wav");
  const auto broken = make_dataset("idmt-smt-guitar", {root, 8000, Json::object()});
  const auto msg = testing::error_message([&] { broken->example_ids("SID1-1"); });
  EXPECT_NE(
      msg.find("AR_Lick3_KN.wav of split SID1-1 was not found anywhere under '" + root.string()),
      std::string::npos)
      << msg;
  EXPECT_NE(testing::error_message([&] {
              make_dataset("idmt-smt-guitar", {root / "nope", 8000, Json::object()});
            }).find("is not a folder"),
            std::string::npos);
}

TEST(LibriSpeech, PairsFemaleAndMaleSpeakersInIdOrder) {
  const auto root = testing::scratch_dir();
  std::ofstream(root / "SPEAKERS.TXT") << "; ID  |SEX| SUBSET | MINUTES | NAME\n"
                                          "19   | F | test-clean | 25.19 | A\n"
                                          "7    | M | test-clean | 25.00 | B\n"
                                          "103  | F | test-clean | 25.00 | C\n"
                                          "26   | M | test-clean | 25.00 | D\n"
                                          "8    | F | train-other-500 | 1.0 | E\n";
  for (const char* speaker : {"19", "7", "103", "26"}) {
    for (int chapter : {100, 200}) {
      for (int utt : {0, 1}) {
        const std::string stem =
            std::string(speaker) + "-" + std::to_string(chapter) + "-000" + std::to_string(utt);
        testing::write_audio_file(
            root / "test-clean" / speaker / std::to_string(chapter) / (stem + ".flac"),
            SF_FORMAT_FLAC | SF_FORMAT_PCM_16, tone(0.6, 16000, stem), 16000);
      }
    }
  }
  const Json extra = {{"pairs_per_set", 1}, {"train_seconds", 1.5}, {"test_seconds", 0.5}};
  const auto libri = make_dataset("librispeech", {root, 8000, extra});
  EXPECT_EQ(libri->example_ids("set1"),
            std::vector<std::string>{"19+7"});  // ids ascend numerically
  EXPECT_EQ(libri->example_ids("set2"), std::vector<std::string>{"103+26"});
  const Example e = libri->load("set1", "19+7");
  ASSERT_EQ(e.sources.size(), 2u);
  EXPECT_EQ(e.sources[0].labels.at("sex"), "F");
  EXPECT_EQ(e.sources[1].labels.at("speaker"), "7");
  EXPECT_EQ(e.training[0].size(), 12000);  // 1.5 s at 8 kHz
  EXPECT_EQ(e.sources[0].audio.size(), 4000);
  const auto greedy =
      make_dataset("librispeech", {root, 8000, {{"pairs_per_set", 1}, {"train_seconds", 20.0}}});
  EXPECT_NE(
      testing::error_message([&] { greedy->load("set1", "19+7"); }).find("speaker 19 has 2.4"),
      std::string::npos);
  fs::remove(root / "SPEAKERS.TXT");
  EXPECT_NE(testing::error_message([&] {
              make_dataset("librispeech", {root, 8000, extra});
            }).find("SPEAKERS.TXT' is missing"),
            std::string::npos);
}

TEST(Timit, NineTrainingSentencesAndOneForTheMixture) {
  const auto root = testing::scratch_dir();
  // TRAIN in upper case, test in lower case: both occur in the wild.
  for (const auto& [split, region, speakers] :
       std::vector<std::tuple<std::string, std::string, std::vector<std::string>>>{
           {"TRAIN", "DR1", {"FCJF0", "MDAB0", "FDAW0"}}, {"test", "dr2", {"mabc0", "fxyz1"}}}) {
    for (const auto& speaker : speakers) {
      for (int i = 0; i < 10; ++i) {
        const std::string name = "SX" + std::to_string(10 + i) + ".WAV";
        testing::write_audio_file(root / split / region / speaker / name,
                                  SF_FORMAT_NIST | SF_FORMAT_PCM_16,
                                  tone(0.2 + 0.01 * i, 16000, speaker + name), 16000);
      }
      std::ofstream(root / split / region / speaker / "SX10.WRD") << "0 100 word\n";
    }
  }
  const auto timit = make_dataset("timit", {root, 16000, Json::object()});
  EXPECT_EQ(timit->splits(), (std::vector<std::string>{"train", "test"}));
  EXPECT_EQ(timit->example_ids("train"),
            std::vector<std::string>{"FCJF0+MDAB0"});  // FDAW0 has no partner
  EXPECT_EQ(timit->example_ids("test"), std::vector<std::string>{"FXYZ1+MABC0"});
  const Example e = timit->load("train", "FCJF0+MDAB0");
  const auto expected_training = [] {
    Eigen::Index n = 0;
    for (int i = 0; i < 9; ++i) n += static_cast<Eigen::Index>((0.2 + 0.01 * i) * 16000);
    return n;
  }();
  EXPECT_EQ(e.training[0].size(), expected_training);
  EXPECT_EQ(e.sources[0].audio.size(), static_cast<Eigen::Index>(0.29 * 16000));
  EXPECT_EQ(e.sources[1].labels.at("sex"), "M");
  fs::remove(root / "TRAIN" / "DR1" / "FCJF0" / "SX19.WAV");
  EXPECT_NE(testing::error_message([&] {
              make_dataset("timit", {root, 16000, Json::object()});
            }).find("expected 10"),
            std::string::npos);
}

TEST(Folder, JsonAndCsvManifests) {
  const auto root = testing::scratch_dir();
  for (const char* f :
       {"a.wav", "b.wav", "a_train.wav", "b_train1.wav", "b_train2.wav", "noise.wav"}) {
    testing::write_audio_file(root / "audio" / f, SF_FORMAT_WAV | SF_FORMAT_FLOAT,
                              tone(0.25, 8000, f), 8000);
  }
  std::ofstream(root / "manifest.json") << R"({"examples": [{"id": "mix1", "split": "test",
      "sources": ["audio/a.wav", "audio/b.wav"],
      "training": [["audio/a_train.wav"], ["audio/b_train1.wav", "audio/b_train2.wav"]],
      "noise": ["audio/noise.wav"]}]})";
  std::ofstream(root / "list.csv") << "id,split,role,file\n"
                                      "mix1,dev,source0,audio/a.wav\n"
                                      "mix1,dev,training0,audio/a_train.wav\n"
                                      "mix1,dev,source1,audio/b.wav\n"
                                      "mix1,dev,training1,audio/b_train1.wav\n"
                                      "mix1,dev,training1,audio/b_train2.wav\n";
  for (const auto& [manifest, split] :
       {std::pair{"manifest.json", "test"}, std::pair{"list.csv", "dev"}}) {
    const auto folder = make_dataset("folder", {root, 8000, {{"manifest", manifest}}});
    EXPECT_EQ(folder->example_ids(split), std::vector<std::string>{"mix1"});
    const Example e = folder->load(split, "mix1");
    ASSERT_EQ(e.sources.size(), 2u);
    EXPECT_EQ(e.training[1].size(), 4000);  // two training files concatenated
    EXPECT_EQ(e.sources[0].name, "a");
  }
  std::ofstream(root / "bad.json")
      << R"({"examples": [{"id": "x", "split": "s", "sources": ["audio/missing.wav"]}]})";
  const auto msg = testing::error_message([&] {
    make_dataset("folder", {root, 8000, {{"manifest", "bad.json"}}});
  });
  EXPECT_NE(msg.find("names 'audio/missing.wav', which is not under"), std::string::npos) << msg;
  const auto folder = make_dataset("folder", {root, 8000, {{"manifest", "manifest.json"}}});
  EXPECT_NE(testing::error_message([&] {
              folder->example_ids("train");
            }).find("unknown split 'train'; expected one of test"),
            std::string::npos);
}

}  // namespace
}  // namespace nmfbench::data
