#include <gtest/gtest.h>
#include <tbb/parallel_for.h>

#include "datasets/dataset.hpp"
#include "test_support.hpp"

namespace nmfbench::data {
namespace {

TEST(EmbeddedGuitar, SplitsIdsAndDurations) {
  const auto guitar = make_dataset("embedded-guitar", {});
  EXPECT_TRUE(guitar->stand_in());
  EXPECT_EQ(guitar->splits(), (std::vector<std::string>{"A", "B", "val"}));
  EXPECT_EQ(guitar->example_ids("A").front(), "lick01");
  EXPECT_EQ(guitar->example_ids("B").back(), "lick12");
  EXPECT_EQ(guitar->example_ids("val").front(), "lick13");
  EXPECT_EQ(guitar->example_ids("val").back(), "lick18");
  for (const auto& split : guitar->splits()) {
    for (const auto& id : guitar->example_ids(split)) {
      const Example e = guitar->load(split, id);
      ASSERT_EQ(e.sources.size(), 1u);
      EXPECT_EQ(e.sample_rate, 8000);
      const Real seconds = static_cast<Real>(e.sources[0].audio.size()) / 8000;
      EXPECT_GE(seconds, 5.0) << id;
      EXPECT_LE(seconds, 10.0) << id;
      EXPECT_NEAR(e.sources[0].audio.abs().maxCoeff(), 0.5, 1e-12) << id;
    }
  }
  EXPECT_NE(testing::error_message([&] { guitar->load("A", "lick07"); }).find("not in split 'A'"),
            std::string::npos);
  EXPECT_NE(testing::error_message([&] {
              guitar->example_ids("C");
            }).find("unknown split 'C'; expected one of A, B, val"),
            std::string::npos);
}

TEST(EmbeddedGuitar, ResampledOnLoad) {
  const auto at8 = make_dataset("embedded-guitar", {});
  const auto at16 = make_dataset("embedded-guitar", {"", 16000, Json::object()});
  const Example a = at8->load("A", "lick02"), b = at16->load("A", "lick02");
  EXPECT_EQ(b.sample_rate, 16000);
  EXPECT_EQ(b.sources[0].audio.size(), 2 * a.sources[0].audio.size());
}

TEST(EmbeddedSpeakers, PairsTrainingAndTestAudio) {
  const auto speakers = make_dataset("embedded-speakers", {"", 8000, {{"pairs_per_set", 2}}});
  EXPECT_EQ(speakers->example_ids("set1"), (std::vector<std::string>{"pair01", "pair02"}));
  const Example first = speakers->load("set1", "pair01");
  const Example other = speakers->load("set2", "pair01");
  const Example held_out = speakers->load("val", "pair01");
  ASSERT_EQ(first.sources.size(), 2u);
  ASSERT_EQ(first.training.size(), 2u);
  EXPECT_EQ(first.sources[0].labels.at("voice"), "higher");
  EXPECT_EQ(first.sources[1].labels.at("voice"), "lower");
  EXPECT_NE(first.sources[0].name, other.sources[0].name);  // the sets share no speaker
  EXPECT_NE(other.sources[0].name, held_out.sources[0].name);
  EXPECT_EQ(first.training[0].size(), 20 * 8000);
  EXPECT_EQ(first.sources[0].audio.size(), 5 * 8000);
  EXPECT_NE(testing::error_message([&] {
              make_dataset("embedded-speakers", {"", 8000, {{"pairs_per_set", 0}}});
            }).find("pairs_per_set"),
            std::string::npos);
  // Shorter training audio for long training runs; the test audio stays 5 s.
  const auto shorter = make_dataset("embedded-speakers", {"", 8000, {{"train_seconds", 5}}});
  const Example short_first = shorter->load("set1", "pair01");
  EXPECT_EQ(short_first.training[0].size(), 5 * 8000);
  EXPECT_EQ(short_first.sources[0].audio.size(), 5 * 8000);
  EXPECT_TRUE((short_first.sources[0].audio == first.sources[0].audio).all());
  EXPECT_NE(testing::error_message([&] {
              make_dataset("embedded-speakers", {"", 8000, {{"train_seconds", 30}}});
            }).find("train_seconds"),
            std::string::npos);
}

TEST(EmbeddedData, BitIdenticalAcrossRunsAndThreads) {
  std::vector<Signal> serial;
  const auto a = make_dataset("embedded-guitar", {});
  for (const auto& id : a->example_ids("A")) serial.push_back(a->load("A", id).sources[0].audio);
  const auto b = make_dataset("embedded-guitar", {});
  const auto ids = b->example_ids("A");
  std::vector<Signal> parallel(ids.size());
  tbb::parallel_for(std::size_t(0), ids.size(),
                    [&](std::size_t i) { parallel[i] = b->load("A", ids[i]).sources[0].audio; });
  for (std::size_t i = 0; i < ids.size(); ++i)
    EXPECT_TRUE((serial[i] == parallel[i]).all()) << ids[i];
  const auto s1 = make_dataset("embedded-speakers", {"", 8000, {{"pairs_per_set", 1}}});
  const auto s2 = make_dataset("embedded-speakers", {"", 8000, {{"pairs_per_set", 1}}});
  EXPECT_TRUE(
      (s1->load("set2", "pair01").training[1] == s2->load("set2", "pair01").training[1]).all());
}

TEST(DatasetRegistry, UnknownLoaderListsTheRegisteredOnes) {
  EXPECT_NE(testing::error_message([] { make_dataset("wsj0", {}); })
                .find("unknown dataset loader 'wsj0'; registered loaders: embedded-guitar, "
                      "embedded-speakers"),
            std::string::npos);
}

}  // namespace
}  // namespace nmfbench::data
