// The CHiME2 stand-in: synthetic talkers in synthetic non-stationary noise at six SNRs.
#include <gtest/gtest.h>
#include <tbb/parallel_for.h>

#include <cmath>
#include <set>

#include "datasets/dataset.hpp"
#include "test_support.hpp"

namespace nmfbench::data {
namespace {

Real db(const Signal& speech, const Signal& noise) {
  return 10 * std::log10(speech.square().sum() / noise.square().sum());
}

TEST(EmbeddedSpeechNoise, SplitsOfSpeechInNoiseAtSixSnrs) {
  const auto data = make_dataset("embedded-speech-noise", {});
  EXPECT_TRUE(data->stand_in());
  EXPECT_EQ(data->splits(), (std::vector<std::string>{"train", "dev", "test"}));
  std::map<std::string, std::set<std::string>> speakers;
  for (const auto& [split, count] : {std::pair{"train", 36}, {"dev", 12}, {"test", 12}}) {
    const auto ids = data->example_ids(split);
    ASSERT_EQ(ids.size(), static_cast<std::size_t>(count)) << split;
    std::map<std::string, int> per_snr, per_noise;
    for (const auto& id : ids) {
      const Example e = data->load(split, id);
      SCOPED_TRACE(std::string(split) + " " + id);
      EXPECT_EQ(e.id, id);
      EXPECT_EQ(e.sample_rate, 8000);
      ASSERT_EQ(e.sources.size(), 2u);
      const SourceAudio &speech = e.sources[0], &noise = e.sources[1];
      EXPECT_EQ(speech.name, "speech");
      EXPECT_EQ(speech.role, Role::target);
      EXPECT_EQ(noise.name, "noise");
      EXPECT_EQ(noise.role, Role::interference);
      EXPECT_EQ(noise.labels.at("noise"), e.labels.at("noise"));
      EXPECT_TRUE((noise.audio == e.mixture - speech.audio).all());
      const Real seconds = static_cast<Real>(e.mixture.size()) / 8000;
      EXPECT_GE(seconds, 2.5);
      EXPECT_LT(seconds, 3.5);
      EXPECT_NEAR(e.mixture.abs().maxCoeff(), 0.5, 1e-12);
      // The label is the SNR over the whole signal.
      const std::string snr = e.labels.at("snr");
      EXPECT_NEAR(db(speech.audio, noise.audio), std::stod(snr), 0.01);
      std::string folder = snr;  // CHiME2's folder name: "m6dB" for "-6dB"
      if (folder[0] == '-') folder[0] = 'm';
      EXPECT_EQ(id.substr(0, id.find('/')), folder);
      ++per_snr[snr];
      ++per_noise[e.labels.at("noise")];
      speakers[split].insert(speech.labels.at("speaker"));
    }
    for (const auto& snr : {"-6dB", "-3dB", "0dB", "3dB", "6dB", "9dB"})
      EXPECT_EQ(per_snr[snr], count / 6) << split << " " << snr;
    for (const auto& noise : {"babble", "music", "hum", "clatter"})
      EXPECT_GE(per_noise[noise], 2) << split << " " << noise;
  }
  EXPECT_EQ(speakers["train"].size(), 6u);
  EXPECT_EQ(speakers["dev"].size(), 4u);
  for (const auto& [a, b] : {std::pair{"train", "dev"}, {"train", "test"}, {"dev", "test"}}) {
    for (const auto& s : speakers[a]) EXPECT_FALSE(speakers[b].count(s)) << s;
  }
  EXPECT_NE(testing::error_message([&] {
              data->load("dev", "m6dB/talker01/u1");
            }).find("no example 'm6dB/talker01/u1' in split dev"),
            std::string::npos);
}

TEST(EmbeddedSpeechNoise, BitIdenticalAcrossRunsAndThreads) {
  const auto serial = make_dataset("embedded-speech-noise", {});
  const auto parallel = make_dataset("embedded-speech-noise", {});
  std::vector<std::pair<std::string, std::string>> all;
  for (const auto& split : serial->splits()) {
    for (const auto& id : serial->example_ids(split)) all.emplace_back(split, id);
  }
  std::vector<Example> loaded(all.size());
  tbb::parallel_for(std::size_t(0), all.size(), [&](std::size_t i) {
    loaded[i] = parallel->load(all[i].first, all[i].second);
  });
  for (std::size_t i = 0; i < all.size(); ++i) {
    const Example e = serial->load(all[i].first, all[i].second);
    EXPECT_TRUE((e.mixture == loaded[i].mixture).all()) << e.id;
    EXPECT_TRUE((e.sources[0].audio == loaded[i].sources[0].audio).all()) << e.id;
    // No two examples share a noise: each is a segment of its own.
    for (std::size_t j = 0; j < i; ++j) {
      const Signal& a = loaded[i].sources[1].audio;
      const Signal& b = loaded[j].sources[1].audio;
      const auto n = std::min(a.size(), b.size());
      const Real overlap = (a.head(n) * b.head(n)).sum() /
                           std::sqrt(a.head(n).square().sum() * b.head(n).square().sum());
      EXPECT_LT(std::abs(overlap), 0.9) << loaded[i].id << " " << loaded[j].id;
    }
  }
}

TEST(EmbeddedSpeechNoise, OptionsAndSampleRate) {
  const auto at16 = make_dataset("embedded-speech-noise", {"", 16000, Json::object()});
  const auto at8 = make_dataset("embedded-speech-noise", {});
  const Example a = at8->load("test", "m6dB/talker11/u1"),
                b = at16->load("test", "m6dB/talker11/u1");
  EXPECT_EQ(b.sample_rate, 16000);
  EXPECT_EQ(b.mixture.size(), 2 * a.mixture.size());
  EXPECT_TRUE((b.sources[1].audio == b.mixture - b.sources[0].audio).all());
  EXPECT_NEAR(db(b.sources[0].audio, b.sources[1].audio), -6, 0.05);

  const Json tenth = {{"train_fraction", 0.1}};
  const auto ids = make_dataset("embedded-speech-noise", {"", 8000, tenth})->example_ids("train");
  EXPECT_EQ(ids.size(), 4u);  // round(0.1 * 36) utterances, each at one SNR
  EXPECT_EQ(make_dataset("embedded-speech-noise", {"", 8000, tenth})->example_ids("train"), ids);
  const auto zero_db = make_dataset("embedded-speech-noise", {"", 8000, {{"snrs", {0}}}});
  EXPECT_EQ(zero_db->example_ids("train").size(), 6u);
  EXPECT_EQ(zero_db->example_ids("dev").size(), 2u);
  EXPECT_NE(testing::error_message([] {
              make_dataset("embedded-speech-noise", {"", 8000, {{"pairs_per_set", 2}}});
            }).find("embedded-speech-noise: spec.dataset.options.pairs_per_set: unknown field"),
            std::string::npos);
}

}  // namespace
}  // namespace nmfbench::data
