#include "core/stoi.hpp"

#include <gtest/gtest.h>

#include "core/audio_io.hpp"
#include "test_support.hpp"

namespace nmfbench {
namespace {

// pystoi 0.4.1 on five pairs: resampled from 8 and 16 kHz, at 10 kHz as given, one with
// silent stretches that the silent-frame removal drops. They agree to about 1e-14; the
// requirement is 1e-4.
TEST(Stoi, MatchesPystoiOnTheReferencePairs) {
  const auto dir = testing::data_dir() / "nae";
  const Json ref = testing::read_json(dir / "stoi_ref.json");
  int checked = 0;
  for (const auto& pair : ref["pairs"]) {
    const Audio clean = read_audio(dir / pair["clean"].get<std::string>());
    const Audio processed = read_audio(dir / pair["processed"].get<std::string>());
    ASSERT_EQ(clean.sample_rate, pair["fs"].get<int>());
    const std::string name = pair["name"];
    EXPECT_NEAR(stoi(clean.samples, processed.samples, clean.sample_rate, false),
                pair["stoi"].get<Real>(), 1e-9)
        << name;
    EXPECT_NEAR(stoi(clean.samples, processed.samples, clean.sample_rate, true),
                pair["estoi"].get<Real>(), 1e-9)
        << name;
    ++checked;
  }
  EXPECT_EQ(checked, 5);
}

TEST(Stoi, ResamplesToTenKilohertzWithPystoisLength) {
  const Signal x = testing::test_signal(24000, "stoi-resample");
  EXPECT_EQ(resample_octave(x, 10000, 8000).size(), 30000);
  EXPECT_EQ(resample_octave(x, 10000, 16000).size(), 15000);
  EXPECT_EQ(resample_octave(x, 10000, 10000).size(), 24000);
  // A low tone passes the anti-aliasing filter: the resampled signal is the tone at 10 kHz.
  Signal tone(8000), expected(10000);
  for (int n = 0; n < 8000; ++n) tone[n] = std::sin(2 * M_PI * 440 * n / 8000.0);
  for (int n = 0; n < 10000; ++n) expected[n] = std::sin(2 * M_PI * 440 * n / 10000.0);
  const Signal got = resample_octave(tone, 10000, 8000);
  EXPECT_LT((got - expected).segment(1000, 8000).abs().maxCoeff(), 1e-3);
}

TEST(Stoi, IdenticalSignalsScoreOne) {
  const Signal x = testing::test_signal(16000, "stoi-same");
  EXPECT_NEAR(stoi(x, x, 8000), 1.0, 1e-9);
  EXPECT_NEAR(stoi(x, x, 8000, true), 1.0, 1e-9);
}

TEST(Stoi, TooLittleSpeechScoresPystoisFloor) {
  const Signal x = testing::test_signal(2000, "stoi-short");
  EXPECT_EQ(stoi(x, x, 10000), 1e-5);
}

TEST(Stoi, RejectsBadInput) {
  const Signal x = testing::test_signal(4000, "stoi-bad");
  EXPECT_NE(
      testing::error_message([&] { stoi(x, x.head(3000), 8000); }).find("expected equal lengths"),
      std::string::npos);
  EXPECT_NE(testing::error_message([&] { stoi(x, x, 0); }).find("sample rate 0 Hz"),
            std::string::npos);
  EXPECT_NE(testing::error_message([&] {
              stoi(x.head(200), x.head(200), 10000);
            }).find("more than one 256-sample frame"),
            std::string::npos);
}

}  // namespace
}  // namespace nmfbench
