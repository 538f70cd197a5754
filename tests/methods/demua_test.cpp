// DeMUA: Phi's derivatives, the unrolled network's gradient against finite differences,
// truncation, the learned PDF, training and trained state.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "core/stft.hpp"
#include "methods/demua/demua_method.hpp"
#include "methods/demua/learned_pdf.hpp"
#include "methods/registry.hpp"
#include "test_support.hpp"

namespace nmfbench::demua {
namespace {

std::unique_ptr<Phi> small_phi(const std::string& kind) {
  auto phi = make_phi({kind, 2.5, 0.8, 4, 2});
  phi->initialise(RandomStream(3, "phi"));
  return phi;
}

// sum(g zeta(r)) as a function of the parameters, for finite differences.
Real weighted_zeta(const Phi& phi, const Array& r, const Array& g) {
  return (g * phi.zeta(r)).sum();
}

// A random unit direction in parameter space and the directional derivative of f along it,
// by central differences.
template <typename F>
Real directional_fd(Phi& phi, const PhiGradient& direction, F f, Real step = 1e-6) {
  ParameterSet& p = phi.parameters();
  auto move = [&](Real by) {
    for (std::size_t i = 0; i < direction.theta.size(); ++i)
      p.value(p.names()[i]) += by * direction.theta[i];
  };
  move(step);
  const Real plus = f();
  move(-2 * step);
  const Real minus = f();
  move(step);
  return (plus - minus) / (2 * step);
}

PhiGradient random_direction(const Phi& phi, const std::string& key) {
  RandomStream rng(11, key);
  PhiGradient d = phi.zero_gradient();
  for (auto& a : d.theta) a = rng.normal_array(a.rows(), a.cols());
  return d;
}

Real dot(const PhiGradient& a, const PhiGradient& b) {
  Real sum = 0;
  for (std::size_t i = 0; i < a.theta.size(); ++i) sum += (a.theta[i] * b.theta[i]).sum();
  return sum;
}

class PhiKinds : public ::testing::TestWithParam<std::string> {};

TEST_P(PhiKinds, BackwardMatchesFiniteDifferences) {
  auto phi = small_phi(GetParam());
  RandomStream rng(4, "r");
  const Array r = (rng.uniform_array(5, 7, -6, 6)).exp();
  const Array g = rng.normal_array(5, 7);
  PhiGradient theta = phi->zero_gradient();
  const Array dr = phi->backward(r, phi->zeta(r), g, theta);
  phi->finish_gradient(theta);
  // d / d r, elementwise.
  for (Eigen::Index i = 0; i < r.size(); ++i) {
    const Real h = 1e-6 * r(i);
    Array plus = r, minus = r;
    plus(i) += h;
    minus(i) -= h;
    const Real fd = (weighted_zeta(*phi, plus, g) - weighted_zeta(*phi, minus, g)) / (2 * h);
    EXPECT_NEAR(dr(i), fd, 1e-6 * std::max(1.0, std::abs(fd))) << "element " << i;
  }
  const PhiGradient direction = random_direction(*phi, "phi");
  const Real fd = directional_fd(*phi, direction, [&] { return weighted_zeta(*phi, r, g); });
  EXPECT_GT(std::abs(fd), 1e-4);
  EXPECT_NEAR(dot(theta, direction), fd, 1e-6 * std::max(1.0, std::abs(fd)));
}

// The unrolled denoising network on a small problem: 0.25 s at 8 kHz, 256-point frames, K = 3.
struct SmallProblem {
  Stft stft{{256, 256, 64, WindowType::hann, Framing::centered_zero}};
  TrainingItem item;
  Array w0, h0;
  SmallProblem() {
    const Signal clean = testing::test_signal(2000, "clean");
    RandomStream rng(8, "noise");
    item = {clean + 0.3 * rng.normal_array(clean.size(), 1).col(0), {clean}, {}};
    RandomStream init(9, "init");
    w0 = init.uniform_array(129, 3, 0.1, 1);
    h0 = init.uniform_array(3, stft.frames(clean.size()), 0.1, 1);
  }
  Initialiser init() const {
    return [this](const Array&, Array& w, Array& h) {
      w = w0;
      h = h0;
    };
  }
};

struct UnrolledCase {
  std::string phi;
  nmf::Normalization placement;
};

class UnrolledGradient : public ::testing::TestWithParam<UnrolledCase> {};

TEST_P(UnrolledGradient, WholeNetworkMatchesFiniteDifferences) {
  const SmallProblem problem;
  auto phi = small_phi(GetParam().phi);
  Unrolling unrolling;
  unrolling.stacks = unrolling.recorded = 4;  // L = T: the full gradient
  unrolling.placement = GetParam().placement;
  const LossAndGradient result =
      denoise_loss(*phi, problem.stft, problem.item, unrolling, problem.init());
  const PhiGradient direction = random_direction(*phi, "unrolled");
  const Real fd = directional_fd(*phi, direction, [&] {
    return denoise_loss(*phi, problem.stft, problem.item, unrolling, problem.init()).loss;
  });
  EXPECT_GT(std::abs(fd), 1e-4);  // the check is not vacuous
  EXPECT_NEAR(dot(result.gradient, direction), fd, 1e-6 * std::max(1.0, std::abs(fd)));
}

TEST_P(UnrolledGradient, TruncationDifferentiatesOnlyTheLastStacks) {
  const SmallProblem problem;
  auto phi = small_phi(GetParam().phi);
  Unrolling truncated;
  truncated.stacks = 6;
  truncated.recorded = 2;
  truncated.placement = GetParam().placement;
  const LossAndGradient result =
      denoise_loss(*phi, problem.stft, problem.item, truncated, problem.init());
  // The same as the full gradient of 2 stacks started where the first 4 end.
  Array w = problem.w0, h = problem.h0;
  {
    const Observation y(problem.stft.forward(problem.item.mixture).abs2());
    ad::Tape tape;
    PhiGradient unused = phi->zero_gradient();
    const Factors f = run_stacks(tape, y, w, h, *phi, truncated.placement, 4, 0, unused);
    w = f.w.value();
    h = f.h.value();
  }
  Unrolling tail = truncated;
  tail.stacks = tail.recorded = 2;
  const LossAndGradient expected = denoise_loss(*phi, problem.stft, problem.item, tail,
                                                [&](const Array&, Array& w_out, Array& h_out) {
                                                  w_out = w;
                                                  h_out = h;
                                                });
  EXPECT_NEAR(result.loss, expected.loss, 1e-12 * expected.loss);
  for (std::size_t i = 0; i < expected.gradient.theta.size(); ++i)
    EXPECT_LT((result.gradient.theta[i] - expected.gradient.theta[i]).abs().maxCoeff(),
              1e-10 * (1 + expected.gradient.theta[i].abs().maxCoeff()));
}

INSTANTIATE_TEST_SUITE_P(Phi, PhiKinds, ::testing::Values("t", "ggd", "nn"));
INSTANTIATE_TEST_SUITE_P(Demua, UnrolledGradient,
                         ::testing::Values(UnrolledCase{"t", nmf::Normalization::after_w},
                                           UnrolledCase{"t", nmf::Normalization::end},
                                           UnrolledCase{"ggd", nmf::Normalization::end_rescale_h},
                                           UnrolledCase{"nn", nmf::Normalization::after_w}),
                         [](const auto& info) {
                           return info.param.phi + "_" + nmf::to_string(info.param.placement);
                         });

TEST(DemuaSeparation, GradientThroughBothStagesMatchesFiniteDifferences) {
  const Stft stft({256, 256, 64, WindowType::hann, Framing::centered_zero});
  const Signal a = testing::test_signal(1600, "a"), b = 0.5 * testing::test_signal(1600, "b");
  const TrainingItem item{
      a + b,
      {a, b},
      {testing::test_signal(2400, "a-train"), testing::test_signal(2400, "b-train")}};
  auto phi = small_phi("t");
  Unrolling unrolling;
  unrolling.stacks = unrolling.recorded = 3;
  unrolling.separation_stacks = unrolling.separation_recorded = 3;
  int stream = 0;
  const Initialiser init = [&](const Array& y, Array& w, Array& h) {
    RandomStream rng(5, "start" + std::to_string(stream++ % 2));
    w = rng.uniform_array(y.rows(), 2, 0.1, 1);
    h = rng.uniform_array(2, y.cols(), 0.1, 1);
  };
  const ActivationInitialiser activations = [](const Array& y, const Array& w) {
    return RandomStream(6, "u").uniform_array(w.cols(), y.cols(), 0.1, 1);
  };
  const LossAndGradient result = separation_loss(*phi, stft, item, unrolling, init, activations);
  const PhiGradient direction = random_direction(*phi, "separation");
  const Real fd = directional_fd(*phi, direction, [&] {
    return separation_loss(*phi, stft, item, unrolling, init, activations).loss;
  });
  EXPECT_GT(std::abs(fd), 1e-4);  // the check is not vacuous
  EXPECT_NEAR(dot(result.gradient, direction), fd, 1e-6 * std::max(1.0, std::abs(fd)));
}

TEST(DemuaNetworkPhi, SplineFollowsTheExactNetwork) {
  const auto phi = make_phi({"nn"});
  phi->initialise(RandomStream(0, "demua/phi"));
  const auto& network = dynamic_cast<const NetworkPhi&>(*phi);
  const Signal x = Signal::LinSpaced(4001, -39.9, 39.9);
  const Signal exact = network.exact_phi(x);
  const Signal splined = phi->zeta(x.exp()).log();
  EXPECT_LT((exact - splined).abs().maxCoeff(), 1e-7 * (1 + exact.abs().maxCoeff()));
  // Beyond the grid Phi is held at its end values, finite even at r = 0.
  EXPECT_NEAR(phi->phi(std::exp(55.0)), network.exact_phi(Signal::Constant(1, 40.0))(0), 1e-7);
  EXPECT_NEAR(phi->phi(0.0), network.exact_phi(Signal::Constant(1, -40.0))(0), 1e-7);
}

TEST(DemuaLearnedPdf, MatchesTheClosedFormsOfTAndGgd) {
  const Signal magnitude = default_pdf_magnitudes();
  const Array r = magnitude.square();
  for (Real nu : {0.73, 4.0}) {
    // Complex t with yhat = 1: p(y) = (1 / pi) (1 + 2|y|^2 / nu)^(-(nu + 2) / 2).
    const Signal expected = -std::log(std::numbers::pi) - (nu + 2) / 2 * (2 * r / nu).log1p();
    const LearnedPdf pdf = learned_pdf(StudentTPhi(nu), magnitude);
    EXPECT_LT((pdf.log_pdf - expected).abs().maxCoeff(), 1e-6) << "nu = " << nu;
  }
  for (Real beta : {0.14, 1.2, 2.0}) {
    // Complex GGD: p(y) = exp(-(2 / beta) |y|^beta) / (pi (2 / beta) (beta / 2)^(2 / beta)
    // Gamma(2 / beta)).
    const Real log_z = std::log(std::numbers::pi * 2 / beta) + 2 / beta * std::log(beta / 2) +
                       std::lgamma(2 / beta);
    const Signal expected = -2 / beta * (beta / 2 * r.log()).exp() - log_z;
    const LearnedPdf pdf = learned_pdf(GgdPhi(beta), magnitude);
    EXPECT_LT((pdf.log_pdf - expected).abs().maxCoeff(), 1e-6) << "beta = " << beta;
  }
  const LearnedPdf gaussian = learned_pdf(GgdPhi(2), magnitude);
  EXPECT_LT((gaussian.log_pdf - gaussian.gaussian_log_pdf).abs().maxCoeff(), 1e-6);
}

}  // namespace
}  // namespace nmfbench::demua
