#include "datasets/mixing.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "test_support.hpp"

namespace nmfbench::data {
namespace {

TEST(Mixing, MixtureHasTheRequestedSnr) {
  RandomStream rng(3, "mix");
  const Signal clean = testing::test_signal(8000, "clean");
  for (Real snr : {-10.0, 0.0, 7.5}) {
    const Mixture m = mix_at_snr(clean, white_noise(8000, rng), snr);
    const Real measured =
        10 * std::log10(m.sources[0].square().sum() / m.sources[1].square().sum());
    EXPECT_NEAR(measured, snr, 0.01);
    EXPECT_LT((m.mixture - m.sources[0] - m.sources[1]).abs().maxCoeff(), 1e-15);
  }
  EXPECT_NE(testing::error_message([&] {
              mix_at_snr(clean, Signal::Zero(8000), 0);
            }).find("noise is silent"),
            std::string::npos);
  EXPECT_NE(
      testing::error_message([&] { mix_at_snr(clean, Signal::Ones(10), 0); }).find("8000 samples"),
      std::string::npos);
}

TEST(Mixing, SourcesAtGivenLevelRatios) {
  const Signal a = testing::test_signal(4000, "a"), b = 3 * testing::test_signal(3000, "b");
  const Mixture equal = mix_sources({a, b});
  EXPECT_NEAR(equal.sources[0].square().sum(), equal.sources[1].square().sum(), 1e-9);
  EXPECT_EQ(equal.mixture.size(), 4000);
  const Mixture louder = mix_sources({a, b}, {0, 6});
  EXPECT_NEAR(10 * std::log10(louder.sources[1].square().sum() / louder.sources[0].square().sum()),
              6, 1e-9);
}

TEST(Mixing, ImpulsiveNoiseIsLogNormalInTheStftDomain) {
  const Stft stft({1024, 1024, 256, WindowType::hamming, Framing::centered_reflect});
  RandomStream rng(11, "impulsive");
  const ImpulsiveNoise noise = impulsive_noise(8000 * 20, stft, rng);
  const Array log_power = noise.spectrum.abs2().log();
  const Real mean = log_power.mean();
  const Real spread = std::sqrt((log_power - mean).square().mean());
  EXPECT_NEAR(mean, 0.0, 0.05);
  EXPECT_NEAR(spread, 4.0, 0.05);
  EXPECT_TRUE((noise.waveform == stft.inverse(noise.spectrum, 8000 * 20)).all());
  // Reproducible by its key.
  RandomStream again(11, "impulsive");
  EXPECT_TRUE((impulsive_noise(8000 * 20, stft, again).waveform == noise.waveform).all());
}

TEST(Mixing, NoiseSegmentsLoopShortRecordings) {
  RandomStream rng(2, "segment");
  Signal recording(3);
  recording << 1, 2, 3;
  const Signal s = noise_segment(recording, 7, rng);
  for (Eigen::Index i = 1; i < 7; ++i)
    EXPECT_EQ(s[i], recording[(static_cast<Eigen::Index>(s[0]) - 1 + i) % 3]);
}

}  // namespace
}  // namespace nmfbench::data
