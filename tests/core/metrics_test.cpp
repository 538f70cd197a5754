#include "core/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/audio_io.hpp"
#include "test_support.hpp"

namespace nmfbench {
namespace {

using testing::error_message;

TEST(SiSdr, MatchesTheReferenceValues) {
  const auto dir = testing::data_dir() / "metrics";
  const Json ref = testing::read_json(dir / "metrics_ref.json");
  int checked = 0;
  for (const auto& c : ref["cases"]) {
    for (std::size_t j = 0; j < c["files"]["ref"].size(); ++j) {
      const Signal s = read_audio(dir / c["files"]["ref"][j].get<std::string>()).samples;
      const Signal e = read_audio(dir / c["files"]["est"][j].get<std::string>()).samples;
      EXPECT_NEAR(si_sdr(s, e), c["si_sdr_file_order"][j].get<double>(), 1e-9) << c["name"];
      ++checked;
    }
  }
  EXPECT_EQ(checked, 5);
}

TEST(SiSdr, IsInvariantToScaleAndOffset) {
  const Signal s = testing::test_signal(5000, "s");
  const Signal e = s + 0.3 * testing::test_signal(5000, "noise");
  const Real base = si_sdr(s, e);
  EXPECT_NEAR(si_sdr(s, 7.5 * e + 3.0), base, 1e-10);
  EXPECT_NEAR(si_sdr(0.1 * s - 2.0, e), base, 1e-10);
}

TEST(SiSdr, WorkedExample) {
  // s = (1, -1, 1, -1), e = s + (1, 1, -1, -1): orthogonal noise of equal energy -> 0 dB.
  Signal s(4), e(4);
  s << 1, -1, 1, -1;
  e << 2, 0, 0, -2;
  EXPECT_NEAR(si_sdr(s, e), 0.0, 1e-12);
  // e = 2 s + n with |n|^2 = |s|^2 / 4 and n orthogonal: 10 log10(4 * 4) = 12.04 dB.
  e << 2.5, -1.5, 1.5, -2.5;
  EXPECT_NEAR(si_sdr(s, e), 10 * std::log10(16.0), 1e-12);
}

TEST(SiSdr, ImprovementIsTheDifferenceOverTheMixture) {
  const Signal s = testing::test_signal(3000, "s");
  const Signal n = testing::test_signal(3000, "n");
  const Signal mix = s + n;
  const Signal est = s + 0.1 * n;
  EXPECT_NEAR(si_sdr_improvement(s, est, mix), si_sdr(s, est) - si_sdr(s, mix), 1e-12);
  EXPECT_GT(si_sdr_improvement(s, est, mix), 15);
}

TEST(LossMa, IsZeroForProportionalEstimatesAndMatchesTheCosine) {
  const Signal s = testing::test_signal(2000, "s");
  EXPECT_NEAR(loss_ma(s, -3.0 * s), 0.0, 1e-12);
  const Signal e = s + 0.5 * testing::test_signal(2000, "e");
  // Eq. (16) is 1/cos^2 - 1 of the angle between s and e, i.e. 10 log10(1 / M_a) is the
  // SI-SDR without mean removal.
  const Real cos = (s * e).sum() / std::sqrt(s.square().sum() * e.square().sum());
  EXPECT_NEAR(loss_ma(s, e), 1 / (cos * cos) - 1, 1e-12);
  const Signal s0 = s - s.mean(), e0 = e - e.mean();
  EXPECT_NEAR(10 * std::log10(1 / loss_ma(s0, e0)), si_sdr(s, e), 1e-9);
}

TEST(Metrics, BadInputIsAnError) {
  const Signal s = testing::test_signal(100, "s");
  EXPECT_NE(error_message([&] { si_sdr(s, s.head(50)); }).find("expected equal lengths"),
            std::string::npos);
  EXPECT_NE(error_message([&] { si_sdr(Signal::Constant(100, 0.5), s); }).find("silent"),
            std::string::npos);
  Signal bad = s;
  bad[3] = std::numeric_limits<Real>::quiet_NaN();
  EXPECT_NE(error_message([&] { si_sdr(s, bad); }).find("estimate contains NaN"),
            std::string::npos);
  EXPECT_NE(error_message([&] { si_sdr(Signal(), Signal()); }).find("empty"), std::string::npos);
  Signal a(2), b(2);
  a << 1, 0;
  b << 0, 1;
  EXPECT_NE(error_message([&] { loss_ma(a, b); }).find("orthogonal"), std::string::npos);
}

}  // namespace
}  // namespace nmfbench
