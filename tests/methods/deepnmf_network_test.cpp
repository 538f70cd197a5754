// Deep NMF against ../shared/reference/deepnmf: H after every layer, the estimates, the loss,
// both parts of the gradient of every trained W^k and H^k, and one multiplicative update, to
// 1e-10 relative; the parts are non-negative, their difference is the gradient and it agrees
// with central differences of the loss.
#include "methods/deepnmf/network.hpp"

#include <gtest/gtest.h>

#include "core/autodiff/ops.hpp"
#include "core/random.hpp"
#include "deepnmf_reference.hpp"

namespace nmfbench::deepnmf {
namespace {

using namespace reference;

// Block i of a stacked n x rows x cols array.
Array block(const Array& stacked, Eigen::Index rows, Eigen::Index i) {
  return stacked.middleRows(i * rows, rows);
}

struct Case {
  NetworkConfig config;
  Array m, w_bar, h0;
  std::vector<Array> untied, targets;
  Real loss;
  std::string name;
};

Case load_case(const std::string& name) {
  const Json c = reference_case(name);
  const Json& p = c["params"];
  Case out;
  out.name = name;
  out.config.bins = p["F"];
  out.config.layers = p["K"];
  out.config.untied = p["C"];
  out.config.sizes = p["R"].get<std::vector<int>>();
  out.config.sparsity = p["mu"];
  out.config.beta_layers = p["beta1"];
  out.config.beta_loss = p["beta2"];
  out.config.weights = p["gamma"].get<std::vector<Real>>();
  const std::string data = c["inputs_of"];
  out.m = case_array(data + "_M");
  out.w_bar = case_array(data + "_Wbar");
  out.h0 = case_array(data + "_H0");
  const Array untied = case_array(data + "_Wuntied"), sources = case_array(data + "_S");
  const int f = out.config.bins;
  for (int k = out.config.layers - out.config.untied + 1; k <= out.config.layers; ++k)
    out.untied.push_back(block(untied, f, k - 1));
  for (std::size_t l = 0; l < out.config.sizes.size(); ++l)
    out.targets.push_back(block(sources, f, l));
  out.loss = c["E"];
  return out;
}

class DeepNmfReference : public ::testing::TestWithParam<std::string> {};

TEST_P(DeepNmfReference, ForwardBackwardAndUpdateMatch) {
  const Case c = load_case(GetParam());
  const Forward pass = forward(c.config, c.w_bar, c.untied, c.m, c.h0, c.targets);
  const Eigen::Index f = c.config.bins, r = c.h0.rows();
  const Array h = case_array(c.name + "_H");
  for (int k = 0; k <= c.config.layers; ++k)
    EXPECT_LT(relative_error(pass.h[k], block(h, r, k)), 1e-10) << "H^" << k;
  const Array estimates = case_array(c.name + "_S_est");
  for (std::size_t l = 0; l < pass.estimates.size(); ++l)
    EXPECT_LT(relative_error(pass.estimates[l], block(estimates, f, l)), 1e-10) << "S~ " << l;
  EXPECT_NEAR(pass.loss, c.loss, 1e-10 * std::max<Real>(1, c.loss));

  const Backward grads = backward(c.config, pass, c.targets);
  const Array grad = case_array(c.name + "_grad"), pos = case_array(c.name + "_grad_pos"),
              neg = case_array(c.name + "_grad_neg"), updated = case_array(c.name + "_W_new");
  const Array dh = case_array(c.name + "_dH"), dh_pos = case_array(c.name + "_dH_pos"),
              dh_neg = case_array(c.name + "_dH_neg");
  for (int i = 0; i < c.config.untied; ++i) {
    const SplitGradient& g = grads.bases[i];
    EXPECT_LT(relative_error(g.positive, block(pos, f, i)), 1e-10) << "[dE/dW]+ " << i;
    EXPECT_LT(relative_error(g.negative, block(neg, f, i)), 1e-10) << "[dE/dW]- " << i;
    EXPECT_LT(relative_error(g.positive - g.negative, block(grad, f, i)), 1e-10) << "dE/dW " << i;
    EXPECT_GE(std::min(g.positive.minCoeff(), g.negative.minCoeff()), 0);
    EXPECT_LT(relative_error(multiplicative_update(c.untied[i], g), block(updated, f, i)), 1e-10);
    const SplitGradient& gh = grads.activations[i];
    EXPECT_LT(relative_error(gh.positive, block(dh_pos, r, i)), 1e-10) << "[dE/dH]+ " << i;
    EXPECT_LT(relative_error(gh.negative, block(dh_neg, r, i)), 1e-10) << "[dE/dH]- " << i;
    EXPECT_LT(relative_error(gh.positive - gh.negative, block(dh, r, i)), 1e-10);
    EXPECT_GE(std::min(gh.positive.minCoeff(), gh.negative.minCoeff()), 0);
  }
}

TEST_P(DeepNmfReference, GradientPassesFiniteDifferences) {
  const Case c = load_case(GetParam());
  const Backward grads =
      backward(c.config, forward(c.config, c.w_bar, c.untied, c.m, c.h0, c.targets), c.targets);
  RandomStream rng(5, c.name);
  for (int i = 0; i < c.config.untied; ++i) {
    const Array direction = rng.normal_array(c.untied[i].rows(), c.untied[i].cols()) * c.untied[i];
    const Real h = 1e-6;
    auto loss_at = [&](Real s) {
      std::vector<Array> w = c.untied;
      w[i] += s * direction;
      return forward(c.config, c.w_bar, w, c.m, c.h0, c.targets).loss;
    };
    const Real fd = (loss_at(h) - loss_at(-h)) / (2 * h);
    const Real analytic = ((grads.bases[i].positive - grads.bases[i].negative) * direction).sum();
    EXPECT_NEAR(fd, analytic, 1e-6 * std::abs(analytic) + 1e-14 * c.loss / h) << "W " << i;
  }
}

// The objective on two parts of the frames run in parallel is the whole pass's.
TEST_P(DeepNmfReference, FramesInPartsGiveTheWholeObjective) {
  const Case c = load_case(GetParam());
  const Objective parts = objective(c.config, c.w_bar, c.untied, c.m, c.h0, c.targets, true);
  EXPECT_NEAR(parts.loss, c.loss, 1e-12 * c.loss);
  const Array pos = case_array(c.name + "_grad_pos"), neg = case_array(c.name + "_grad_neg");
  ASSERT_EQ(parts.bases.size(), static_cast<std::size_t>(c.config.untied));
  for (int i = 0; i < c.config.untied; ++i) {
    EXPECT_LT(relative_error(parts.bases[i].positive, block(pos, c.config.bins, i)), 1e-12);
    EXPECT_LT(relative_error(parts.bases[i].negative, block(neg, c.config.bins, i)), 1e-12);
  }
}

// Training starts later visits of a mixture from the tied layers' output: the objective and
// both gradient parts are those of the whole pass, bit for bit.
TEST_P(DeepNmfReference, StartingFromTheTiedOutputGivesTheWholeObjective) {
  const Case c = load_case(GetParam());
  const Objective whole = objective(c.config, c.w_bar, c.untied, c.m, c.h0, c.targets, true);
  const Array tied = tied_output(c.config, c.w_bar, c.m, c.h0);
  const Forward pass = forward(c.config, c.w_bar, c.untied, c.m, c.h0, {});
  EXPECT_LT(relative_error(tied, pass.h[tied_layers(c.config)]), 1e-13);
  const Objective resumed =
      objective(c.config, c.w_bar, c.untied, c.m, tied, c.targets, true, true);
  EXPECT_EQ(resumed.loss, whole.loss);
  ASSERT_EQ(resumed.bases.size(), whole.bases.size());
  for (std::size_t i = 0; i < whole.bases.size(); ++i) {
    EXPECT_TRUE((resumed.bases[i].positive == whole.bases[i].positive).all()) << i;
    EXPECT_TRUE((resumed.bases[i].negative == whole.bases[i].negative).all()) << i;
  }
}

// Eq. 7 through the network for beta1 = 1 written with the tape's ops: its gradient is the
// difference of the split parts.
ad::Var loss_on_tape(ad::Tape& tape, const Case& c, const std::vector<ad::Var>& untied) {
  const NetworkConfig& k = c.config;
  const ad::Var m = tape.constant(c.m), current = tape.constant(c.m.bottomRows(k.bins));
  ad::Var h = tape.constant(c.h0);
  for (int layer = 1; layer <= k.layers; ++layer) {
    const int j = untied_index(k, layer);
    const ad::Var wt = ad::normalize_columns_l2(j < 0 ? tape.constant(c.w_bar) : untied[j]);
    const ad::Var& x = j < 0 ? m : current;
    const ad::Var l = ad::clamp_min(ad::matmul(wt, h), kFloor);
    const ad::Var ones = tape.constant(Array::Ones(x.rows(), h.cols()));
    const ad::Var den = ad::clamp_min(ad::matmul(wt, ones, true) + k.sparsity, kFloor);
    h = h * ad::matmul(wt, x / l, true) / den;
  }
  const ad::Var wt = ad::normalize_columns_l2(untied.back());
  const int r = k.sizes[0];
  const ad::Var speech = ad::matmul(ad::slice_cols(wt, 0, r), ad::slice_rows(h, 0, r));
  const ad::Var noise =
      ad::matmul(ad::slice_cols(wt, r, k.sizes[1]), ad::slice_rows(h, r, k.sizes[1]));
  const ad::Var estimate = speech / ad::clamp_min(speech + noise, kFloor) * current;
  return 0.5 * ad::sum(ad::square(estimate - tape.constant(c.targets[0])));
}

class DeepNmfOnTape : public ::testing::TestWithParam<std::string> {};

TEST_P(DeepNmfOnTape, PartsDifferenceIsTheTapeGradient) {
  const Case c = load_case(GetParam());
  ad::Tape tape;
  std::vector<ad::Var> untied;
  for (const Array& w : c.untied) untied.push_back(tape.variable(w));
  const ad::Var loss = loss_on_tape(tape, c, untied);
  EXPECT_NEAR(loss.scalar(), c.loss, 1e-10 * c.loss);
  tape.backward(loss);
  const Backward parts =
      backward(c.config, forward(c.config, c.w_bar, c.untied, c.m, c.h0, c.targets), c.targets);
  for (int i = 0; i < c.config.untied; ++i)
    EXPECT_LT(
        relative_error(parts.bases[i].positive - parts.bases[i].negative, tape.grad(untied[i])),
        1e-10)
        << i;
}

// The cases with beta1 = 1 and gamma = (1, 0), which loss_on_tape writes out.
INSTANTIATE_TEST_SUITE_P(Cases, DeepNmfOnTape,
                         ::testing::Values("small_C1", "small_C2", "case2_C3"));

INSTANTIATE_TEST_SUITE_P(Cases, DeepNmfReference,
                         ::testing::Values("small_C1", "small_C2", "small_C2_b15", "case2_C3"));

TEST(DeepNmf, RefusesConfigurationsItCannotBuild) {
  NetworkConfig c{.bins = 6, .layers = 2, .untied = 3, .sizes = {3, 3}, .weights = {1, 0}};
  EXPECT_NE(testing::error_message([&] { validate(c, "deep_nmf"); }).find("untied (C)"),
            std::string::npos);
  c.untied = 0;
  EXPECT_NE(testing::error_message([&] { backward(c, Forward{}, {}); }).find("nothing to train"),
            std::string::npos);
}

}  // namespace
}  // namespace nmfbench::deepnmf
