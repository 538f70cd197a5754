// Convolutive KL NMF (paper 004, eq. 3) against the NumPy reference's trajectories.

#include "methods/nae/conv_nmf.hpp"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include "core/array_math.hpp"
#include "core/parts.hpp"
#include "core/random.hpp"
#include "methods/nmf/beta_nmf.hpp"
#include "nae_cases.hpp"

namespace nmfbench::nae {
namespace {

using testing::key;
using testing::NaeCase;

Bases slices(const Array& stacked, Eigen::Index taps) {
  const Eigen::Index r = stacked.cols() / taps;
  Bases w;
  for (Eigen::Index t = 0; t < taps; ++t) w.push_back(stacked.middleCols(t * r, r));
  return w;
}

class ConvNmfReference : public ::testing::TestWithParam<const char*> {};

TEST_P(ConvNmfReference, TrajectoryMatches) {
  const NaeCase c(GetParam());
  const auto taps = static_cast<Eigen::Index>(c.param("T"));
  const HRule rule = parse_h_rule(c.params()["h_update"].get<std::string>());
  const Array v = c.array("V");
  Bases w = slices(c.array("W_0"), taps);
  Array h = c.array("H_0");
  c.expect_array(conv_model(w, h), c.array("Lambda_0"), "Lambda_0", 1e-12);
  const auto& costs = c.expected()["cost_per_iter"];
  const int iterations = static_cast<int>(c.param("iterations"));
  Real previous = kl_cost(v, conv_model(w, h));
  c.expect_scalar(previous, costs[0], 1e-12, "cost 0");
  for (int i = 1; i <= iterations; ++i) {
    iterate(v, w, h, rule);
    const Real cost = kl_cost(v, conv_model(w, h));
    c.expect_scalar(cost, costs[i], 1e-11, key("cost ", i));
    // The exact rule is a majorise-minimise step: the cost never increases.
    if (rule == HRule::sum) {
      EXPECT_LE(cost, previous * (1 + 1e-14)) << "iteration " << i;
    }
    previous = cost;
    if (i != 1 && i != iterations) continue;
    const std::string at = key("_iter", i);
    c.expect_array(side_by_side(w), c.array("W" + at), "W" + at, 1e-11);
    c.expect_array(h, c.array("H" + at), "H" + at, 1e-11);
  }
}

INSTANTIATE_TEST_SUITE_P(Reference, ConvNmfReference,
                         ::testing::Values("convnmf_small_average", "convnmf_small_sum",
                                           "convnmf_other_average", "convnmf_other_sum",
                                           "convnmf_small_nonmonotone"));

TEST(ConvNmf, TheAverageRuleCanRaiseTheCost) {
  const NaeCase c("convnmf_small_nonmonotone");
  const auto& costs = c.expected()["cost_per_iter"];
  bool raised = false;
  for (std::size_t i = 1; i < costs.size(); ++i)
    raised |= costs[i].get<Real>() > costs[i - 1].get<Real>();
  EXPECT_TRUE(raised) << "the case is meant to show a cost increase";
}

// With one shift both rules are the classic KL multiplicative updates, H then W.
TEST(ConvNmf, OneShiftIsKlNmf) {
  RandomStream rng(7, "conv-nmf-t1");
  const Array v = rng.uniform_array(12, 20, 0.05, 2);
  const Array w0 = rng.uniform_array(12, 3, 0.1, 1), h0 = rng.uniform_array(3, 20, 0.1, 1);
  const nmf::BetaNmf kl({1, 0, false});
  for (const HRule rule : {HRule::sum, HRule::average}) {
    Bases w = {w0};
    Array h = h0, w_kl = w0, h_kl = h0;
    for (int i = 0; i < 10; ++i) {
      iterate(v, w, h, rule);
      kl.iterate(v, w_kl, h_kl);
    }
    EXPECT_LT((w[0] - w_kl).abs().maxCoeff(), 1e-12 * w_kl.abs().maxCoeff());
    EXPECT_LT((h - h_kl).abs().maxCoeff(), 1e-12 * h_kl.abs().maxCoeff());
  }
  EXPECT_NE(testing::error_message([] { parse_h_rule("mean"); }).find("expected sum or average"),
            std::string::npos);
}

// The rules as conv_nmf.hpp writes them, one shift at a time.
Array model_by_shifts(const Bases& w, const Array& h) {
  const Eigen::Index n = h.cols();
  Array lambda = Array::Zero(w.front().rows(), n);
  for (std::size_t t = 0; t < w.size(); ++t) {
    const auto shift = static_cast<Eigen::Index>(t);
    lambda.rightCols(n - shift) += (w[t].matrix() * h.matrix().leftCols(n - shift)).array();
  }
  return lambda;
}

void iterate_by_shifts(const Array& v, Bases& w, Array& h, HRule rule) {
  const Eigen::Index n = h.cols();
  Array r = v / model_by_shifts(w, h);
  Array numerator = Array::Zero(h.rows(), n), denominator = numerator;
  for (std::size_t t = 0; t < w.size(); ++t) {
    const auto shift = static_cast<Eigen::Index>(t);
    const Array correlation = (w[t].matrix().transpose() * r.matrix().rightCols(n - shift)).array();
    const Array sums = w[t].colwise().sum().transpose();
    if (rule == HRule::sum) {
      numerator.leftCols(n - shift) += correlation;
      denominator.leftCols(n - shift).colwise() += sums.col(0);
    } else {
      numerator.leftCols(n - shift) += correlation.colwise() / sums.col(0);
    }
  }
  h *= rule == HRule::sum ? Array(numerator / denominator)
                          : Array(numerator / static_cast<Real>(w.size()));
  r = v / model_by_shifts(w, h);
  for (std::size_t t = 0; t < w.size(); ++t) {
    const auto shift = static_cast<Eigen::Index>(t);
    const Array products =
        (r.matrix().rightCols(n - shift) * h.matrix().leftCols(n - shift).transpose()).array();
    w[t] *= products.rowwise() / h.leftCols(n - shift).rowwise().sum().transpose().row(0);
  }
}

// Above kPartedMultiplyAdds the stacked products run in parts: the model and two iterations of
// both rules against the rules shift by shift, and the same bits on one and two threads.
TEST(ConvNmf, ProductsInPartsGiveTheRulesOnOneAndTwoThreads) {
  RandomStream rng(9, "conv-nmf-parts");
  const Eigen::Index bins = 257, frames = 700, r = 12, taps = 6;
  const Array v = rng.uniform_array(bins, frames, 0.1, 2);
  Bases w0;
  for (Eigen::Index t = 0; t < taps; ++t) w0.push_back(rng.uniform_array(bins, r, 0.1, 1));
  const Array h0 = rng.uniform_array(r, frames, 0.1, 1);
  ASSERT_GE(static_cast<double>(bins * r * taps * frames), kPartedMultiplyAdds);
  const Array lambda = model_by_shifts(w0, h0);
  EXPECT_LT((conv_model(w0, h0) - lambda).abs().maxCoeff(), 1e-12 * lambda.abs().maxCoeff());
  for (const HRule rule : {HRule::sum, HRule::average}) {
    const auto run = [&](std::size_t threads) {
      const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
      Bases w = w0;
      Array h = h0;
      for (int it = 0; it < 2; ++it) iterate(v, w, h, rule);
      return std::make_pair(side_by_side(w), h);
    };
    const auto one = run(1), two = run(2);
    EXPECT_TRUE((one.first == two.first).all() && (one.second == two.second).all());
    Bases w = w0;
    Array h = h0;
    for (int it = 0; it < 2; ++it) iterate_by_shifts(v, w, h, rule);
    EXPECT_LT((two.second - h).abs().maxCoeff(), 1e-12 * h.abs().maxCoeff());
    const Array w_all = side_by_side(w);
    EXPECT_LT((two.first - w_all).abs().maxCoeff(), 1e-12 * w_all.abs().maxCoeff());
  }
}

}  // namespace
}  // namespace nmfbench::nae
