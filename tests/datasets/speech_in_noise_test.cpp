#include "datasets/speech_in_noise.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "datasets/labels.hpp"
#include "test_support.hpp"

namespace nmfbench::data {
namespace {

TEST(SpeechInNoise, SnrNamesAndTheirOrder) {
  EXPECT_EQ(snr_folder(-6), "m6dB");
  EXPECT_EQ(snr_folder(0), "0dB");
  EXPECT_EQ(snr_label(-3), "-3dB");
  EXPECT_EQ(snr_label(9), "9dB");
  std::vector<std::string> values = {"9dB", "hum", "-3dB", "10dB", "0dB", "2x", "-6dB", "babble"};
  std::sort(values.begin(), values.end(), label_less);
  EXPECT_EQ(values, (std::vector<std::string>{"-6dB", "-3dB", "0dB", "9dB", "10dB", "2x", "babble",
                                              "hum"}));
}

TEST(SpeechInNoise, TrainFractionIsIndependentOfListingOrder) {
  std::vector<ListedExample> listed;
  for (int u = 0; u < 50; ++u) {
    for (const int snr : {-6, 3}) {
      const std::string utt = "spk/utt" + std::to_string(u);
      listed.push_back({snr_folder(snr) + "/" + utt, snr, utt});
    }
  }
  const SpeechNoiseOptions options{{-6, -3, 0, 3, 6, 9}, 0.1};
  const auto kept = select_examples(listed, options, "train", "chime2");
  ASSERT_EQ(kept.size(), 10u);  // 5 of 50 utterances, each at both SNRs
  for (std::size_t i = 0; i < kept.size(); i += 2) {
    EXPECT_EQ(kept[i].utterance, kept[i + 1].utterance);
    EXPECT_NE(kept[i].snr, kept[i + 1].snr);
  }
  std::reverse(listed.begin(), listed.end());
  auto reversed = select_examples(listed, options, "train", "chime2");
  std::reverse(reversed.begin(), reversed.end());
  for (std::size_t i = 0; i < kept.size(); ++i) EXPECT_EQ(reversed[i].id, kept[i].id);
  // Other splits are whole; a tiny fraction still keeps one utterance.
  EXPECT_EQ(select_examples(listed, options, "test", "chime2").size(), 100u);
  EXPECT_EQ(select_examples(listed, {{3}, 0.001}, "train", "chime2").size(), 1u);
}

TEST(SpeechInNoise, ExamplesCarryTheirMixtureAndTheNoiseAsTheRest) {
  const Signal speech = testing::test_signal(100, "s"), noise = testing::test_signal(100, "n");
  const Example e =
      speech_in_noise_example({"3dB/a/b", 3, "a/b"}, "dev", 8000, {speech, speech + noise},
                              {{"speaker", "a"}}, {}, {{"x", "y"}});
  EXPECT_EQ(e.labels, (std::map<std::string, std::string>{{"snr", "3dB"}, {"x", "y"}}));
  EXPECT_TRUE((e.mixture == speech + noise).all());
  EXPECT_TRUE((e.sources[1].audio == e.mixture - speech).all());
  EXPECT_EQ(e.sources[1].role, Role::interference);
  EXPECT_EQ(e.sources[0].labels.at("speaker"), "a");
}

}  // namespace
}  // namespace nmfbench::data
