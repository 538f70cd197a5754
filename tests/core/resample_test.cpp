#include "core/resample.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "test_support.hpp"

namespace nmfbench {
namespace {

Signal tone(Real freq, int rate, Eigen::Index length) {
  return (Signal::LinSpaced(length, 0, length - 1) * (2 * std::numbers::pi * freq / rate)).sin();
}

Real snr_db(const Signal& reference, const Signal& x) {
  return 10 * std::log10(reference.square().sum() / (reference - x).square().sum());
}

TEST(Resample, DownsamplingKeepsAnInBandTone) {
  const Audio in{tone(440, 16000, 32000), 16000};
  const Audio out = resample(in, 8000);
  EXPECT_EQ(out.sample_rate, 8000);
  ASSERT_EQ(out.samples.size(), 16000);
  const Signal expected = tone(440, 8000, 16000);
  // Away from the edges, where the filter sees zeros beyond the signal.
  EXPECT_GT(snr_db(expected.segment(200, 15600), out.samples.segment(200, 15600)), 60);
}

TEST(Resample, DownsamplingRemovesContentAboveTheNewNyquist) {
  const Audio out = resample({tone(6000, 16000, 32000), 16000}, 8000);
  const Real rms = std::sqrt(out.samples.segment(200, 15600).square().mean());
  EXPECT_LT(20 * std::log10(rms / std::sqrt(0.5)), -60);
}

TEST(Resample, UpsamplingAndOddRatios) {
  const Audio up = resample({tone(1000, 8000, 8000), 8000}, 16000);
  ASSERT_EQ(up.samples.size(), 16000);
  EXPECT_GT(snr_db(tone(1000, 16000, 16000).segment(400, 15000), up.samples.segment(400, 15000)),
            60);
  EXPECT_EQ(resample({Signal::Zero(44100), 44100}, 16000).samples.size(), 16000);
  EXPECT_EQ(resample({Signal::Zero(1001), 8000}, 8000).samples.size(), 1001);
}

TEST(Resample, RejectsNonPositiveRates) {
  const auto msg = testing::error_message([] { resample({Signal::Zero(10), 8000}, 0); });
  EXPECT_NE(msg.find("positive"), std::string::npos) << msg;
}

}  // namespace
}  // namespace nmfbench
