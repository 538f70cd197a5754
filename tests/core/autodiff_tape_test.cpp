// The tape's behaviour (no-grad scopes, truncation, reuse, errors) and gradient checks of
// compositions the methods are built from.
#include <gtest/gtest.h>

#include "core/autodiff/gradient_check.hpp"
#include "core/autodiff/ops.hpp"
#include "core/random.hpp"
#include "test_support.hpp"

namespace nmfbench::ad {
namespace {

Array random(Eigen::Index r, Eigen::Index c, const std::string& key, Real low = 0.1,
             Real high = 1) {
  return RandomStream(3, key).uniform_array(r, c, low, high);
}

TEST(AutodiffComposition, UnrolledMultiplicativeUpdate) {
  const Array Y = random(6, 5, "Y");
  const auto check = check_gradients(
      [&](Tape& t, const std::vector<Var>& v) {
        auto [W, H] = testing::is_nmf_iteration(t.constant(Y), v[0], v[1]);
        std::tie(W, H) = testing::is_nmf_iteration(t.constant(Y), W, H);
        return sum(matmul(W, H) * t.constant(random(6, 5, "weights", -1, 1)));
      },
      {random(6, 3, "W"), random(3, 5, "H")});
  EXPECT_LT(check.max_relative_error, 1e-6) << check.worst;
}

TEST(AutodiffComposition, GluNetwork) {
  // log r -> Linear(1, 8) -> GLU -> Linear(4, 8) -> GLU -> ELU -> Linear(4, 1), on 7 bins.
  const auto check = check_gradients(
      [](Tape&, const std::vector<Var>& v) {
        Var h = glu(matmul(v[1], v[0]) + v[2]);
        h = elu(glu(matmul(v[3], h) + v[4]));
        return sum(square(matmul(v[5], h) + v[6]));
      },
      {random(1, 7, "x", -1, 1), random(8, 1, "w1", -1, 1), random(8, 1, "b1", -1, 1),
       random(8, 4, "w2", -1, 1), random(8, 1, "b2", -1, 1), random(1, 4, "w3", -1, 1),
       random(1, 1, "b3", -1, 1)});
  EXPECT_LT(check.max_relative_error, 1e-6) << check.worst;
}

TEST(AutodiffComposition, MaskThenIstftThenSiSdr) {
  const Stft stft({64, 64, 16, WindowType::hamming, Framing::centered_zero});
  const Signal clean = testing::test_signal(300, "clean");
  const Signal noisy = clean + 0.5 * testing::test_signal(300, "noise");
  const ComplexArray X = stft.forward(noisy);
  const Array mask = random(X.rows(), X.cols(), "mask", 0.2, 1);
  for (bool complex_mask : {false, true}) {
    const auto check = check_gradients(
        [&](Tape&, const std::vector<Var>& v) {
          const ComplexVar masked =
              complex_mask ? apply_mask(ComplexVar{v[0], 0.3 * v[0]}, X) : apply_mask(v[0], X);
          return si_sdr(clean, istft(masked, stft, clean.size()));
        },
        {mask});
    EXPECT_LT(check.max_relative_error, 1e-6) << check.worst;
  }
}

TEST(AutodiffComposition, IstftAdjointPassesTheDotTest) {
  for (auto framing : {Framing::centered_reflect, Framing::centered_zero, Framing::uncentered}) {
    const Stft stft({64, 80, 16, WindowType::sqrt_hann, framing});
    const Eigen::Index length = 333;
    const Eigen::Index frames = stft.frames(length);
    ComplexArray X(stft.bins(), frames);
    X.real() = random(stft.bins(), frames, "re", -1, 1);
    X.imag() = random(stft.bins(), frames, "im", -1, 1);
    const Signal g = random(length, 1, "g", -1, 1).col(0);
    const ComplexArray A = stft.inverse_adjoint(g, frames);
    const Real lhs = (stft.inverse(X, length) * g).sum();
    const Real rhs = (X.real() * A.real()).sum() + (X.imag() * A.imag()).sum();
    EXPECT_NEAR(lhs, rhs, 1e-12 * std::abs(lhs)) << to_string(framing);
  }
}

TEST(AutodiffTape, NoGradScopeRecordsNothing) {
  Tape tape;
  const Var x = tape.variable(random(3, 3, "x"));
  const std::size_t before = tape.size();
  Var y = x;
  {
    NoGradScope no_grad(tape);
    for (int i = 0; i < 100; ++i) y = y * 1.01 + x;
    EXPECT_FALSE(y.requires_grad());
  }
  EXPECT_EQ(tape.size(), before);
  const Var z = sum(y * x);
  EXPECT_TRUE(z.requires_grad());
  tape.backward(z);
  // Only the recorded step reaches x: d/dx sum(y * x) with y held fixed is y.
  EXPECT_TRUE((tape.grad(x) - y.value()).abs().maxCoeff() < 1e-12);
}

// A DeMUA-style stack: H's update ratio raised to a shared trainable exponent theta.
void exponent_stack(const Var& Y, const Var& W, Var& H, const Var& theta) {
  const Var Yhat = matmul(W, H);
  const Var ratio = matmul(W, Y / square(Yhat), true, false) / matmul(W, 1.0 / Yhat, true, false);
  H = H * exp(theta * log(ratio));
}

// sum(H) after T stacks, of which the first T - L run without recording.
Var truncated_unroll(Tape& tape, const Var& theta, int T, int L) {
  const Var Y = tape.constant(random(5, 4, "Y"));
  const Var W = tape.constant(random(5, 2, "W"));
  Var H = tape.constant(random(2, 4, "H"));
  {
    NoGradScope no_grad(tape);
    for (int i = 0; i < T - L; ++i) exponent_stack(Y, W, H, theta);
  }
  for (int i = 0; i < L; ++i) exponent_stack(Y, W, H, theta);
  return sum(H);
}

Real truncated_gradient(int T, int L) {
  Tape tape;
  const Var theta = tape.variable(Array::Constant(1, 1, 0.3));
  tape.backward(truncated_unroll(tape, theta, T, L));
  return tape.grad(theta)(0, 0);
}

TEST(AutodiffTape, TruncationWithLEqualToTGivesTheFullGradient) {
  const int T = 4;
  // Finite differences see the whole unroll, whatever is recorded.
  const Array theta = Array::Constant(1, 1, 0.3);
  const Real h = 1e-6;
  auto value = [&](Real t) {
    Tape tape;
    return truncated_unroll(tape, tape.variable(Array::Constant(1, 1, t)), T, T).scalar();
  };
  const Real numeric = (value(0.3 + h) - value(0.3 - h)) / (2 * h);
  EXPECT_NEAR(truncated_gradient(T, T), numeric, 1e-6 * std::abs(numeric));
  // Truncated to the last step, the gradient is a different (partial) one.
  EXPECT_GT(std::abs(truncated_gradient(T, 1) - numeric), 1e-3 * std::abs(numeric));
}

TEST(AutodiffTape, TruncatedTapeGrowsWithLNotT) {
  auto nodes = [](int T, int L) {
    Tape tape;
    truncated_unroll(tape, tape.variable(Array::Constant(1, 1, 0.3)), T, L);
    return static_cast<long>(tape.size());
  };
  EXPECT_EQ(nodes(50, 3), nodes(8, 3));
  EXPECT_EQ(nodes(50, 6) - nodes(50, 4), nodes(50, 4) - nodes(50, 2));
}

TEST(AutodiffTape, ClearAndReuseGiveTheSameGradients) {
  Tape tape;
  Array first;
  for (int round = 0; round < 3; ++round) {
    tape.clear();
    const Var x = tape.variable(random(4, 4, "x"));
    tape.backward(sum(exp(x) * x));
    if (round == 0) first = tape.grad(x);
    EXPECT_TRUE((tape.grad(x) == first).all());
    EXPECT_EQ(tape.size(), 4u);
  }
}

TEST(AutodiffTape, MisuseIsAnError) {
  Tape tape, other;
  const Var x = tape.variable(random(3, 2, "x"));
  const Var y = other.variable(random(3, 2, "y"));
  EXPECT_NE(testing::error_message([&] { x + y; }).find("different tapes"), std::string::npos);
  EXPECT_NE(testing::error_message([&] { tape.backward(x); }).find("1x1"), std::string::npos);
  EXPECT_NE(testing::error_message([&] {
              tape.backward(sum(tape.constant(Array::Ones(2, 2))));
            }).find("does not depend"),
            std::string::npos);
  EXPECT_NE(testing::error_message([&] {
              x + tape.variable(Array::Ones(2, 3));
            }).find("do not broadcast"),
            std::string::npos);
  EXPECT_NE(testing::error_message([&] { matmul(x, x); }).find("inner dimensions"),
            std::string::npos);
  EXPECT_NE(testing::error_message([&] { glu(tape.variable(Array::Ones(3, 1))); }).find("odd size"),
            std::string::npos);
  for (const Eigen::Index columns : {0, 5}) {
    EXPECT_NE(testing::error_message([&] {
                conv1d(x, tape.variable(Array::Ones(2, columns)));
              }).find("expected a multiple of the 3 input channels"),
              std::string::npos)
        << columns;
  }
  EXPECT_NE(testing::error_message([&] { slice_rows(x, 2, 5); }).find("slice_rows"),
            std::string::npos);
  EXPECT_NE(testing::error_message([&] { si_sdr(Signal::Ones(4), x); }).find("expected a column"),
            std::string::npos);
  EXPECT_NE(testing::error_message([] { Var().value(); }).find("empty Var"), std::string::npos);
}

}  // namespace
}  // namespace nmfbench::ad
