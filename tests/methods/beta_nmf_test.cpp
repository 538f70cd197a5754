#include "methods/nmf/beta_nmf.hpp"

#include <gtest/gtest.h>

#include "core/autodiff/ops.hpp"
#include "core/random.hpp"
#include "test_support.hpp"

namespace nmfbench::nmf {
namespace {

struct Problem {
  Array v, w, h;
};

Problem problem(const std::string& key) {
  RandomStream rng(4, key);
  const Array v =
      (rng.uniform_array(30, 6, 0, 1).matrix() * rng.uniform_array(6, 40, 0, 1).matrix()).array() +
      rng.uniform_array(30, 40, 0.01, 0.1);
  return {v, rng.uniform_array(30, 5, 0.1, 1), rng.uniform_array(5, 40, 0.1, 1)};
}

TEST(BetaNmf, ObjectiveNeverIncreases) {
  for (Real beta : {0.0, 0.5, 1.0, 1.5, 2.0}) {
    for (bool normalized : {false, true}) {
      for (Real mu : {0.0, 0.1}) {
        if (!normalized && mu > 0)
          continue;  // without normalisation L1 only shrinks H: not a fixed problem
        Problem p = problem("monotone");
        const BetaNmf nmf({beta, mu, normalized});
        Real previous = nmf.objective(p.v, p.w, p.h);
        for (int it = 0; it < 200; ++it) {
          nmf.iterate(p.v, p.w, p.h);
          const Real value = nmf.objective(p.v, p.w, p.h);
          ASSERT_LE(value, previous * (1 + 1e-9)) << "beta " << beta << " normalized " << normalized
                                                  << " mu " << mu << " iteration " << it;
          previous = value;
        }
      }
    }
  }
}

TEST(BetaNmf, HUpdateIsTheRatioOfTheGradientsParts) {
  const Problem p = problem("parts");
  const Real beta = 1.5, mu = 0.2;
  const BetaNmf nmf({beta, mu, true});
  const Array wn = nmf.effective_bases(p.w);
  ad::Tape tape;
  const ad::Var h = tape.variable(p.h);
  const ad::Var lambda = ad::matmul(tape.constant(wn), h);
  const ad::Var v = tape.constant(p.v);
  // D_beta for beta = 1.5, plus mu |H|_1 (H > 0).
  const ad::Var d = ad::sum((ad::pow(v, beta) + (beta - 1) * ad::pow(lambda, beta) -
                             beta * v * ad::pow(lambda, beta - 1)) /
                            (beta * (beta - 1)));
  tape.backward(d + mu * ad::sum(h));
  const Array l = (wn.matrix() * p.h.matrix()).array();
  const Array positive = (wn.matrix().transpose() * l.pow(beta - 1).matrix()).array() + mu;
  const Array negative = (wn.matrix().transpose() * (p.v * l.pow(beta - 2)).matrix()).array();
  EXPECT_LT((positive - negative - tape.grad(h)).abs().maxCoeff(),
            1e-10 * tape.grad(h).abs().maxCoeff());
  Array h_updated = p.h;
  nmf.update_h(p.v, p.w, h_updated);
  EXPECT_LT((h_updated - p.h * negative / positive).abs().maxCoeff(), 1e-13);
}

TEST(BetaNmf, DivergenceLimitsAndErrors) {
  const Array x = Array::Constant(2, 2, 2.0), y = Array::Constant(2, 2, 1.0);
  EXPECT_NEAR(beta_divergence(x, y, 2), 4 * 0.5, 1e-12);                      // (x - y)^2 / 2
  EXPECT_NEAR(beta_divergence(x, y, 1), 4 * (2 * std::log(2.0) - 1), 1e-12);  // KL
  EXPECT_NEAR(beta_divergence(x, y, 0), 4 * (2 - std::log(2.0) - 1), 1e-12);  // IS
  EXPECT_NEAR(beta_divergence(x, y, 1 + 1e-7), beta_divergence(x, y, 1), 1e-5);
  EXPECT_NEAR(beta_divergence(x, y, 2 - 1e-7), beta_divergence(x, y, 2), 1e-5);
  // Near x = y, beta = 2 keeps every digit: 1e8 + 1 against 1e8 is 1/2 per element.
  EXPECT_EQ(beta_divergence(x + 1e8 - 1, y + 1e8 - 1, 2), 4 * 0.5);
  EXPECT_NE(testing::error_message([] {
              BetaNmf({2.5, 0, true});
            }).find("beta must be in [0, 2]"),
            std::string::npos);
  EXPECT_NE(testing::error_message([] {
              BetaNmf({1, -1, true});
            }).find("sparsity"),
            std::string::npos);
}

}  // namespace
}  // namespace nmfbench::nmf
