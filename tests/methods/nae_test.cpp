// Paper 002's non-negative autoencoders and paper 004's convolutional NAE against the float64
// PyTorch reference (../shared/reference/nae, cases copied to tests/data/nae).

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <fstream>

#include "core/autodiff/gradient_check.hpp"
#include "methods/nae/network.hpp"
#include "nae_cases.hpp"

namespace nmfbench::nae {
namespace {

using testing::key;
using testing::NaeCase;

// The network of a training case: its weights in conv1d's layout, in layer order.
std::vector<Array> case_weights(const NaeCase& c, const std::string& suffix) {
  if (c.model() == "shallow") return {c.array("W_enc" + suffix), c.array("W_dec" + suffix)};
  if (c.model() == "conv") return {c.array("E" + suffix), c.array("D" + suffix)};
  return {c.array("W1" + suffix), c.array("W2" + suffix), c.array("W3" + suffix),
          c.array("W4" + suffix)};
}

std::vector<std::string> weight_names(const NaeCase& c) {
  if (c.model() == "shallow") return {"W_enc", "W_dec"};
  if (c.model() == "conv") return {"E", "D"};
  return {"W1", "W2", "W3", "W4"};
}

struct Evaluation {
  Real loss, cost, l1;
  Array h, xhat;
  std::vector<Array> gradients;
};

Evaluation evaluate(const std::vector<Array>& weights, const Array& x, Real lambda) {
  ad::Tape tape;
  std::vector<ad::Var> vars;
  for (const auto& w : weights) vars.push_back(tape.variable(w));
  const KlCost cost(x);
  const Forward f = forward(vars, cost, lambda, Activation::softplus);
  tape.backward(f.loss);
  Evaluation e{f.loss.scalar(), cost(f.xhat).scalar(), f.h.value().sum(),
               f.h.value(),     f.xhat.value(),        {}};
  for (const auto& v : vars) e.gradients.push_back(tape.grad(v));
  return e;
}

class NaeTraining : public ::testing::TestWithParam<const char*> {};

TEST_P(NaeTraining, LossGradientsAndRpropStepsMatchTheReference) {
  const NaeCase c(GetParam());
  const Array x = c.array("X");
  const Real lambda = c.param("lam");
  const std::vector<Array> initial = case_weights(c, "_0");
  const Evaluation e = evaluate(initial, x, lambda);
  c.expect_scalar(e.loss, "loss_0", 1e-10);
  c.expect_scalar(e.cost, "D_0", 1e-10);
  c.expect_scalar(e.l1, "l1_0", 1e-10);
  c.expect_array(e.h, c.array("H_0"), "H_0", 1e-10);
  c.expect_array(e.xhat, c.array("Xh_0"), "Xh_0", 1e-10);
  const auto names = weight_names(c);
  for (std::size_t i = 0; i < names.size(); ++i)
    c.expect_array(e.gradients[i], c.array("grad_" + names[i]), "grad_" + names[i], 1e-8);

  Autoencoder network{initial, 1, Activation::softplus};
  Trainer trainer(network, x, lambda);
  const auto& losses = c.expected()["loss_per_step"];
  for (int step = 1; step <= 20; ++step) {
    c.expect_scalar(trainer.step(), losses[step - 1], 1e-10, key("loss before step ", step));
    if (step != 1 && step != 2 && step != 20) continue;
    for (std::size_t i = 0; i < names.size(); ++i) {
      const std::string name = key(names[i] + "_step", step);
      c.expect_array(network.weights[i], c.array(name), name, 1e-10);
    }
  }
  c.expect_scalar(evaluate(network.weights, x, lambda).loss, losses[20], 1e-10, "final loss");
}

INSTANTIATE_TEST_SUITE_P(Reference, NaeTraining,
                         ::testing::Values("shallow_small", "shallow_other", "deep_small",
                                           "deep_other", "conv_small", "conv_other"));

class NaeFitting : public ::testing::TestWithParam<const char*> {};

TEST_P(NaeFitting, ActivationsFittedToFixedDecodersMatchTheReference) {
  const NaeCase c(GetParam());
  const Array x = c.array("X");
  const std::size_t decoders = static_cast<std::size_t>(c.param("n_decoders"));
  std::vector<std::vector<Array>> dec;
  std::vector<Array> z0;
  for (std::size_t k = 1; k <= decoders; ++k) {
    const std::string p = key("dec", k, "_");
    if (c.model() == "shallow")
      dec.push_back({c.array(p + "W_dec")});
    else if (c.model() == "conv")
      dec.push_back({c.array(p + "D")});
    else
      dec.push_back({c.array(p + "W3"), c.array(p + "W4")});
    z0.push_back(c.array(key("Z", k, "_0")));
  }
  ActivationFit fit(dec, Activation::softplus, x, c.param("lam"), z0);
  const auto& losses = c.expected()["loss_per_step"];
  for (int step = 1; step <= 20; ++step) {
    c.expect_scalar(fit.step(), losses[step - 1], 1e-10, key("loss before step ", step));
    for (std::size_t k = 0; k < decoders && step == 1; ++k) {
      const std::string name = key("grad_Z", k + 1);
      c.expect_array(fit.gradient(k), c.array(name), name, 1e-8);
    }
    if (step != 1 && step != 20) continue;
    for (std::size_t k = 0; k < decoders; ++k) {
      const std::string at = key(key("", k + 1, "_step"), step);
      c.expect_array(fit.z(k), c.array("Z" + at), "Z" + at, 1e-10);
      c.expect_array(fit.h(k), c.array("H" + at), "H" + at, 1e-10);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Reference, NaeFitting,
                         ::testing::Values("fit1_shallow_small", "fit1_shallow_other",
                                           "fit2_shallow_small", "fit2_shallow_other",
                                           "fit2_deep_small", "fit2_deep_other", "fit2_conv_small",
                                           "fit2_conv_other"));

// The tape's gradients of the whole loss, for every model and activation, against central
// differences (softplus, and relu and abs away from their kinks).
TEST(NaeGradients, MatchFiniteDifferences) {
  for (const char* name : {"shallow_small", "deep_small", "conv_small"}) {
    const NaeCase c(name);
    const Array x = c.array("X");
    for (const Activation g : {Activation::softplus, Activation::relu, Activation::abs}) {
      const auto check = ad::check_gradients(
          [&](ad::Tape&, const std::vector<ad::Var>& w) {
            const KlCost cost(x);
            return forward(w, cost, 0.1, g).loss;
          },
          case_weights(c, "_0"));
      EXPECT_LT(check.max_relative_error, 1e-6)
          << name << " " << static_cast<int>(g) << " " << check.worst;
    }
  }
}

// of_outputs fuses g, the sum over sources, the cost and its gradient into one pass: the same
// numbers as the separate ops, bit for bit where the loss's gradient reaching it is 1 (the
// NAE's losses), to rounding where it is not.
TEST(NaeNetwork, FusedOutputGivesWhatTheSeparateOpsGive) {
  const Eigen::Index bins = 257, frames = 300;  // 77,100 elements: in parts
  RandomStream rng(6, "nae-fused");
  const Array x = rng.uniform_array(bins, frames, 0, 3);
  const std::vector<Array> a = {rng.normal_array(bins, frames) * 3,
                                rng.normal_array(bins, frames) * 3};
  const KlCost cost(x);
  {
    ad::Tape tape;
    const ad::Var loss = cost.of_outputs({tape.variable(a[0])}, Activation::softplus).cost;
    tape.backward(loss);
    EXPECT_NE(testing::error_message([&] { tape.backward(loss); }).find("second backward"),
              std::string::npos);
    EXPECT_NE(testing::error_message([&] {
                cost.of_outputs({}, Activation::softplus);
              }).find("no output layer"),
              std::string::npos);
  }
  for (const Real scale : {1.0, 0.3}) {
    for (const Activation g : {Activation::softplus, Activation::relu}) {
      struct Results {
        Real loss;
        Array xhat;
        std::vector<Array> gradients;
      };
      const auto run = [&](bool fused) {
        ad::Tape tape;
        const std::vector<ad::Var> vars = {tape.variable(a[0]), tape.variable(a[1])};
        ad::Var xhat, loss;
        if (fused) {
          const KlCost::Output out = cost.of_outputs(vars, g);
          xhat = out.xhat;
          loss = scale * out.cost;
        } else {
          xhat = activate(vars[0], g) + activate(vars[1], g);
          loss = scale * cost(xhat);
        }
        tape.backward(loss);
        return Results{loss.scalar(), xhat.value(), {tape.grad(vars[0]), tape.grad(vars[1])}};
      };
      const Results fused = run(true), separate = run(false);
      EXPECT_EQ(fused.loss, separate.loss);
      EXPECT_TRUE((fused.xhat == separate.xhat).all());
      for (std::size_t k = 0; k < 2; ++k) {
        if (scale == 1) {
          EXPECT_TRUE((fused.gradients[k] == separate.gradients[k]).all()) << k;
        } else {
          EXPECT_LT((fused.gradients[k] - separate.gradients[k]).abs().maxCoeff(),
                    1e-15 * separate.gradients[k].abs().maxCoeff())
              << k;
        }
      }
    }
  }
}

// Training and fitting steps at sizes whose products and elementwise passes run in parts: the
// same weights, activations and losses on one and two threads.
TEST(NaeNetwork, StepsGiveTheSameBitsOnOneAndTwoThreads) {
  RandomStream data(7, "nae-threads");
  const Array x = data.uniform_array(257, 1200, 0, 2);
  const auto run = [&](std::size_t threads) {
    const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    RandomStream rng(8, "nae-threads-init");
    Autoencoder network = make_autoencoder(257, {40, 40}, 1, Activation::softplus, rng);
    Trainer trainer(network, x, 0.1);
    std::vector<Real> losses;
    for (int step = 0; step < 3; ++step) losses.push_back(trainer.step());
    ActivationFit fit({network.decoder(), network.decoder()}, Activation::softplus, x, 0.1,
                      {Array::Zero(40, x.cols()), Array::Constant(40, x.cols(), 0.5)});
    for (int step = 0; step < 3; ++step) losses.push_back(fit.step());
    return std::make_tuple(losses, network.weights, fit.z(0), fit.z(1));
  };
  const auto [losses_1, weights_1, z0_1, z1_1] = run(1);
  const auto [losses_2, weights_2, z0_2, z1_2] = run(2);
  EXPECT_EQ(losses_1, losses_2);
  for (std::size_t i = 0; i < weights_1.size(); ++i)
    EXPECT_TRUE((weights_1[i] == weights_2[i]).all()) << i;
  EXPECT_TRUE((z0_1 == z0_2).all() && (z1_1 == z1_2).all());
  EXPECT_LT(losses_1[2], losses_1[0]);
  EXPECT_LT(losses_1[5], losses_1[3]);
}

TEST(NaeNetwork, HasSymmetricLayersAndRejectsBadInput) {
  RandomStream rng(3, "nae-shape");
  const Autoencoder deep = make_autoencoder(12, {6, 4}, 1, Activation::softplus, rng);
  ASSERT_EQ(deep.weights.size(), 4u);
  EXPECT_EQ(deep.weights[0].rows(), 6);
  EXPECT_EQ(deep.weights[1].rows(), 4);
  EXPECT_EQ(deep.weights[2].rows(), 6);
  EXPECT_EQ(deep.weights[3].rows(), 12);
  EXPECT_EQ(deep.decoder().size(), 2u);
  const Autoencoder conv = make_autoencoder(12, {5}, 3, Activation::softplus, rng);
  EXPECT_EQ(conv.weights[0].cols(), 36);
  EXPECT_EQ(conv.weights[1].cols(), 15);
  EXPECT_LE(conv.weights[0].abs().maxCoeff(), 1 / std::sqrt(36.0));
  EXPECT_NE(testing::error_message([] {
              parse_activation("tanh");
            }).find("expected softplus, relu or abs"),
            std::string::npos);
  const Array negative = -Array::Ones(3, 3);
  EXPECT_NE(testing::error_message([&] { const KlCost cost(negative); }).find("non-negative"),
            std::string::npos);
}

}  // namespace
}  // namespace nmfbench::nae
