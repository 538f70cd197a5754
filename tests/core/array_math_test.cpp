// The vectorised log1p, softplus and sigmoid against the C library's scalar functions, over
// the whole range of double, where the naive forms lose digits or overflow.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <limits>

#include "core/array_math.hpp"
#include "core/random.hpp"

namespace nmfbench {
namespace {

Array logarithmic_grid(Real lowest, Real highest, Eigen::Index count) {
  return Array(Signal::LinSpaced(count, std::log10(lowest), std::log10(highest)))
      .unaryExpr([](Real e) { return std::pow(10.0, e); });
}

// |a - b| in units of b's last place.
Real ulps(Real a, Real b) {
  return std::abs(a - b) /
         (std::nextafter(std::abs(b), std::numeric_limits<Real>::infinity()) - std::abs(b));
}

TEST(ArrayMath, Log1pIsWithinTwoUlpsFromDenormalsToTheLargest) {
  Array u(1205, 1);
  u << 0, std::numeric_limits<Real>::denorm_min(), 1e-300, -0.5, -1e-17,
      logarithmic_grid(1e-300, 1e300, 1200);
  const Array got = log1p(u);
  for (Eigen::Index i = 0; i < u.size(); ++i) {
    const Real want = std::log1p(u(i));
    if (want == 0)
      EXPECT_EQ(got(i), 0) << "u = " << u(i);
    else
      EXPECT_LE(ulps(got(i), want), 2) << "u = " << u(i);
  }
}

TEST(ArrayMath, SoftplusAndSigmoidNeitherOverflowNorLoseTheirTails) {
  const Array x = Array(Signal::LinSpaced(3201, -800, 800));
  const Array s = softplus(x), g = sigmoid(x);
  ASSERT_TRUE(all_finite(s) && all_finite(g));
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const Real v = x(i);
    // Eigen's exp stops at e^-709.4 (the smallest normal number) rather than go subnormal.
    if (v < -709) {
      EXPECT_LE(std::max(s(i), g(i)), std::numeric_limits<Real>::min()) << "x = " << v;
      continue;
    }
    const Real want = std::max(v, 0.0) + std::log1p(std::exp(-std::abs(v)));
    EXPECT_LE(ulps(s(i), want), 2) << "x = " << v;
    const Real logistic = v >= 0 ? 1 / (1 + std::exp(-v)) : std::exp(v) / (1 + std::exp(v));
    EXPECT_LE(ulps(g(i), logistic), 2) << "x = " << v;
  }
  // Far below zero both are e^x, not 0: the network's smallest activations keep their size.
  EXPECT_GT(softplus(Array::Constant(1, 1, -700))(0), 0);
  EXPECT_NEAR(softplus(Array::Constant(1, 1, -50))(0) / std::exp(-50.0), 1, 1e-15);
}

// Large arrays run in chunks and in parts on two threads: every element must come out as the
// whole-array Eigen expressions of the same formulas give it, on one thread or two, and
// softplus's derivative as sigmoid.
TEST(ArrayMath, LargeArraysGiveTheWholeArrayExpressionsBitsOnOneAndTwoThreads) {
  const Eigen::Index rows = 257, cols = 601;  // 154,457 elements: several parts, a ragged tail
  ASSERT_GT(rows * cols, kPartedElements);
  RandomStream rng(4, "array-math-parts");
  const Array x = rng.normal_array(rows, cols) * rng.uniform_array(rows, cols, 0, 40);
  const Array u = rng.uniform_array(rows, cols, -0.99, 1e3);
  const auto whole_log1p = [](const Array& v) {
    const Array shifted = 1 + v;
    const Array ratio = shifted.log() / (shifted - 1);
    return Array((shifted == 1).select(v, v * ratio));
  };
  const Array want_log1p = whole_log1p(u);
  const Array want_softplus = x.max(Real(0)) + whole_log1p((-x.abs()).exp());
  const Array want_sigmoid = x.min(Real(0)).exp() / (1 + (-x.abs()).exp());
  for (const std::size_t threads : {1, 2}) {
    const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    Array derivative;
    const Array fused = softplus(x, derivative);
    EXPECT_TRUE((log1p(u) == want_log1p).all()) << threads;
    EXPECT_TRUE((softplus(x) == want_softplus).all()) << threads;
    EXPECT_TRUE((sigmoid(x) == want_sigmoid).all()) << threads;
    EXPECT_TRUE((fused == want_softplus).all() && (derivative == want_sigmoid).all()) << threads;
  }
}

}  // namespace
}  // namespace nmfbench
