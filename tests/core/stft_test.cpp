#include "core/stft.hpp"

#include <gtest/gtest.h>
#include <tbb/parallel_for.h>

#include <cmath>
#include <numbers>

#include "test_support.hpp"

namespace nmfbench {
namespace {

Real relative_error(const Signal& a, const Signal& b) {
  return std::sqrt((a - b).square().sum() / b.square().sum());
}

struct Setting {
  const char* name;
  StftConfig config;
  int rate;
};

// The settings of the five papers, each with both centred framings.
std::vector<Setting> paper_settings() {
  std::vector<Setting> out;
  for (auto framing : {Framing::centered_reflect, Framing::centered_zero}) {
    out.push_back({"hamming_1024_256_8k", {1024, 1024, 256, WindowType::hamming, framing}, 8000});
    out.push_back({"sqrt_hann_512_128", {512, 512, 128, WindowType::sqrt_hann, framing}, 16000});
    out.push_back(
        {"sqrt_hann_400_160_16k", {400, 400, 160, WindowType::sqrt_hann, framing}, 16000});
    out.push_back(
        {"sqrt_hann_400_160_nfft512", {400, 512, 160, WindowType::sqrt_hann, framing}, 16000});
    out.push_back({"hann_1024_256", {1024, 1024, 256, WindowType::hann, framing}, 8000});
  }
  return out;
}

TEST(Stft, PerfectReconstructionAtPaperSettings) {
  for (const auto& s : paper_settings()) {
    for (Eigen::Index length : {Eigen::Index(3 * s.rate + 17), Eigen::Index(2 * s.rate)}) {
      const Signal x = testing::test_signal(length, s.name);
      const Stft stft(s.config);
      const ComplexArray X = stft.forward(x);
      EXPECT_EQ(X.rows(), s.config.fft_size / 2 + 1);
      EXPECT_EQ(X.cols(), stft.frames(length));
      EXPECT_LT(relative_error(stft.inverse(X, length), x), 1e-10)
          << s.name << " " << to_string(s.config.framing) << " length " << length;
    }
  }
}

TEST(Stft, UncenteredFramingReconstructsWhereverAWindowReaches) {
  const Signal x = testing::test_signal(8000, "uncentered");
  // Hamming never reaches zero, so every sample comes back.
  const Stft hamming({1024, 1024, 256, WindowType::hamming, Framing::uncentered});
  EXPECT_LT(relative_error(hamming.inverse(hamming.forward(x), x.size()), x), 1e-10);
  // A Hann frame starting at sample 0 gives it zero weight: only that sample is lost.
  const Stft hann({512, 512, 128, WindowType::sqrt_hann, Framing::uncentered});
  const Signal y = hann.inverse(hann.forward(x), x.size());
  EXPECT_EQ(y[0], 0.0);
  EXPECT_LT(relative_error(y.tail(x.size() - 1), x.tail(x.size() - 1)), 1e-10);
}

TEST(Stft, FrameCountsFollowTheFramingConventions) {
  // torch.stft(center=True): 1 + L / hop frames.
  EXPECT_EQ(Stft({1024, 1024, 256, WindowType::hamming, Framing::centered_zero}).frames(32000),
            126);
  EXPECT_EQ(Stft({1024, 1024, 256, WindowType::hamming, Framing::centered_reflect}).frames(32001),
            126);
  // Uncentered: enough frames to cover the signal, the last one zero-padded.
  EXPECT_EQ(Stft({1024, 1024, 256, WindowType::hamming, Framing::uncentered}).frames(1024), 1);
  EXPECT_EQ(Stft({1024, 1024, 256, WindowType::hamming, Framing::uncentered}).frames(1025), 2);
  EXPECT_EQ(Stft({1024, 1024, 256, WindowType::hamming, Framing::uncentered}).frames(10), 1);
}

TEST(Stft, OneFrameMatchesADirectDft) {
  const StftConfig config{400, 512, 160, WindowType::sqrt_hann, Framing::centered_reflect};
  const Stft stft(config);
  const Signal x = testing::test_signal(4000, "dft");
  const ComplexArray X = stft.forward(x);
  const Eigen::Index t = 7;
  // Frame t is centred on sample t*hop; the 400-sample window sits in the middle of 512.
  const Eigen::Index start = t * config.hop - config.fft_size / 2;
  const Signal window = make_window(WindowType::sqrt_hann, 400);
  for (Eigen::Index m = 0; m < X.rows(); ++m) {
    Complex sum = 0;
    for (Eigen::Index n = 0; n < 400; ++n) {
      const Eigen::Index k = n + 56;  // (512 - 400) / 2
      sum += window[n] * x[start + k] * std::polar(1.0, -2 * std::numbers::pi * m * k / 512);
    }
    EXPECT_LT(std::abs(X(m, t) - sum), 1e-10 * (1 + std::abs(sum))) << "bin " << m;
  }
}

TEST(Stft, ReflectPaddingMirrorsWithoutRepeatingTheEdge) {
  const Stft stft({8, 8, 2, WindowType::hann, Framing::centered_reflect});
  Signal x = Signal::Zero(16);
  x[1] = 1;  // reflected to padded position pad - 1, i.e. one sample before the start
  const ComplexArray X = stft.forward(x);
  // Frame 0 covers original samples -4..3; the impulse and its mirror are at -1 and 1,
  // symmetric about the frame centre (sample 0), so the spectrum is real.
  EXPECT_LT(X.col(0).imag().abs().maxCoeff(), 1e-12);
  EXPECT_GT(X.col(0).real().abs().maxCoeff(), 0.1);
}

TEST(Stft, WindowsArePeriodic) {
  const Signal h = make_window(WindowType::hamming, 4);
  EXPECT_NEAR(h[0], 0.08, 1e-15);
  EXPECT_NEAR(h[2], 1.0, 1e-15);
  EXPECT_NEAR(h[1], 0.54, 1e-15);
  const Signal s = make_window(WindowType::sqrt_hann, 4);
  EXPECT_NEAR(s[1], std::sqrt(0.5), 1e-15);
  EXPECT_EQ(parse_window("sqrt_hann"), WindowType::sqrt_hann);
  EXPECT_NE(
      testing::error_message([] { parse_window("blackman"); }).find("hamming, hann, sqrt_hann"),
      std::string::npos);
  EXPECT_EQ(parse_framing("uncentered"), Framing::uncentered);
}

TEST(Stft, SharedBetweenThreadsGivesIdenticalResults) {
  const Stft stft({1024, 1024, 256, WindowType::hamming, Framing::centered_reflect});
  std::vector<Signal> inputs;
  for (int i = 0; i < 16; ++i)
    inputs.push_back(testing::test_signal(20000, "thread" + std::to_string(i)));
  std::vector<ComplexArray> serial, parallel(inputs.size());
  for (const auto& x : inputs) serial.push_back(stft.forward(x));
  tbb::parallel_for(std::size_t(0), inputs.size(),
                    [&](std::size_t i) { parallel[i] = Stft(stft.config()).forward(inputs[i]); });
  for (std::size_t i = 0; i < inputs.size(); ++i)
    EXPECT_TRUE((serial[i] == parallel[i]).all()) << i;
}

TEST(Stft, RejectsInconsistentSettingsAndInputs) {
  EXPECT_NE(testing::error_message([] {
              Stft({1024, 512, 256, WindowType::hann, Framing::uncentered});
            }).find("fft_size"),
            std::string::npos);
  EXPECT_NE(testing::error_message([] {
              Stft({512, 512, 600, WindowType::hann, Framing::uncentered});
            }).find("stft.hop"),
            std::string::npos);
  const Stft stft({512, 512, 128, WindowType::hann, Framing::centered_reflect});
  EXPECT_NE(
      testing::error_message([&] { stft.forward(Signal::Zero(100)); }).find("reflect padding"),
      std::string::npos);
  EXPECT_NE(
      testing::error_message([&] { stft.inverse(ComplexArray::Zero(10, 4), 100); }).find("rows"),
      std::string::npos);
}

}  // namespace
}  // namespace nmfbench
