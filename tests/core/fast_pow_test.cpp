// pow_elementwise against std::pow: a few ulp on the whole normal range, and exactly std::pow's
// answer for the inputs it hands over (zeros, subnormals, infinities, NaN, extreme powers).
#include "core/fast_pow.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/random.hpp"

namespace nmfbench {
namespace {

TEST(FastPow, WithinFourUlpOfStdPowScaledByTheLog) {
  RandomStream rng(3, "pow");
  // log-uniform over 1e-300 .. 1e300, and densely around 1 where log(x) is small.
  Array x(4099, 1);
  for (Eigen::Index i = 0; i < x.size(); ++i)
    x(i) = i % 2 ? std::exp(rng.uniform(-690, 690)) : 1 + rng.uniform(-0.4, 0.4);
  for (const Real a : {-1.5, -0.95, -0.4, 0.0, 0.05, 0.6, 1.0, 1.5, 3.0}) {
    const Array got = pow_elementwise(x, a);
    Real worst = 0;
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      const Real expected = std::pow(x(i), a);
      // exp(a log x) carries log's rounding scaled by |a log x| into the result.
      const Real scale = (1 + std::abs(a * std::log(x(i)))) * std::numeric_limits<Real>::epsilon();
      worst = std::max(worst, std::abs(got(i) - expected) / expected / scale);
    }
    EXPECT_LT(worst, 4) << "a = " << a;
  }
}

TEST(FastPow, SpecialInputsAreStdPowsInPlace) {
  constexpr Real kInf = std::numeric_limits<Real>::infinity();
  const std::vector<Real> specials = {0.0,   std::numeric_limits<Real>::denorm_min(), 1e-310,
                                      kInf,  std::numeric_limits<Real>::quiet_NaN(),  1e300,
                                      1e-300};
  for (const Real a : {-2.5, 0.6, 3.0}) {
    // Specials scattered among ordinary values, across a chunk boundary, computed in place.
    Array x = Array::Constant(150, 1, 2.0);
    for (std::size_t s = 0; s < specials.size(); ++s)
      x(static_cast<Eigen::Index>(20 * s + 3)) = specials[s];
    const Array original = x;
    pow_elementwise(x.data(), a, x.data(), x.size());
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      const Real expected = std::pow(original(i), a);
      if (std::isnan(expected))
        EXPECT_TRUE(std::isnan(x(i))) << original(i);
      else if (std::isinf(expected) || expected == 0)
        EXPECT_EQ(x(i), expected) << original(i) << "^" << a;
      else
        EXPECT_NEAR(x(i), expected, 4e-15 * expected) << original(i) << "^" << a;
    }
  }
}

// Vector code works on 8 values at a time: every length's last few values are computed, and
// nothing past them is written.
TEST(FastPow, EveryLengthIsComputedAndNothingPastItWritten) {
  const Array x = Eigen::ArrayXd::LinSpaced(20, 0.5, 3.0);
  for (Eigen::Index n = 0; n <= 17; ++n) {
    Array out = Array::Constant(20, 1, -1.0);
    pow_elementwise(x.data(), 1.5, out.data(), n);
    for (Eigen::Index i = 0; i < n; ++i)
      EXPECT_NEAR(out(i), std::pow(x(i), 1.5), 4e-15 * out(i)) << "n = " << n << ", i = " << i;
    for (Eigen::Index i = n; i < out.size(); ++i) EXPECT_EQ(out(i), -1.0) << "n = " << n;
  }
}

}  // namespace
}  // namespace nmfbench
