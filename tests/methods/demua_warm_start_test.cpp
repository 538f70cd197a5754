// The network Phi's warm start: after it, the network is the t (or Gaussian) model's Phi on the
// grid of log r, and a spec's untrained network reproduces the t model's results.
#include <gtest/gtest.h>

#include "methods/demua/warm_start.hpp"

namespace nmfbench::demua {
namespace {

const std::vector<std::pair<Real, RandomStream>>& t_cases() {
  static const std::vector<std::pair<Real, RandomStream>> cases = {
      {1.0, RandomStream(11, "train/A/x").derive("phi")}, {4.0, RandomStream(7, "phi")}};
  return cases;
}

TEST(DemuaWarmStart, NetworkMatchesTheTargetPhiOnTheGrid) {
  const WarmStartGrid grid = warm_start_grid();
  const Signal inner = (grid.x >= -25 && grid.x <= 12).cast<Real>();
  EXPECT_EQ(grid.tolerance.maxCoeff(), 0.5);
  EXPECT_EQ((inner * grid.tolerance).maxCoeff(), 1e-3);
  EXPECT_EQ(grid.x.minCoeff(), -NetworkPhi::kSplineEnd);
  EXPECT_EQ(grid.x.maxCoeff(), NetworkPhi::kSplineEnd);
  for (const auto& [nu, rng] : t_cases()) {
    NetworkPhi network(16, 2);
    warm_start(network, "t", nu, rng);
    const Signal target = StudentTPhi(nu).zeta(grid.x.exp()).log();
    EXPECT_TRUE(((network.exact_phi(grid.x) - target).abs() < grid.tolerance).all())
        << "nu = " << nu;
    // The spline the updates evaluate follows the fitted network too.
    EXPECT_TRUE(((network.zeta(grid.x.exp()).log() - target).abs() < grid.tolerance).all())
        << "nu = " << nu;
  }
  NetworkPhi network(16, 2);
  warm_start(network, "gaussian", 4, RandomStream(8, "phi"));
  EXPECT_TRUE((network.exact_phi(grid.x).abs() < grid.tolerance).all());
}

// Outside the tight part of the grid the network once extrapolated to Phi = 7944 at log r = 40,
// and a training run failed on the infinite zeta of a rare loud bin.
TEST(DemuaWarmStart, TheFitCoversEveryRatioTheUpdatesSee) {
  const Signal x = Signal::LinSpaced(1201, -60, 60);
  for (const auto& [nu, rng] : t_cases()) {
    NetworkPhi network(16, 2);
    warm_start(network, "t", nu, rng);
    const Signal zeta = network.zeta(x.exp());
    ASSERT_TRUE(zeta.isFinite().all()) << "nu = " << nu;
    // The t model's zeta lies in (0, (nu + 2) / nu]; the network's stays within e^0.5 of it.
    EXPECT_LT(zeta.maxCoeff(), (nu + 2) / nu * std::exp(0.5)) << "nu = " << nu;
    EXPECT_LT(zeta.tail(200).maxCoeff(), 1e-16) << "nu = " << nu;
  }
}

// The fit is a function of its start alone: a second fit in the process, on reused memory,
// lands on the same weights (an expression that outlived the network's output once made it
// read freed memory).
TEST(DemuaWarmStart, TheSameStartGivesTheSameNetwork) {
  const auto& [nu, rng] = t_cases().front();
  NetworkPhi first(16, 2), second(16, 2);
  warm_start(first, "t", nu, rng);
  warm_start(second, "t", nu, rng);
  for (const auto& name : first.parameters().names())
    EXPECT_TRUE((first.parameters().value(name) == second.parameters().value(name)).all()) << name;
}

TEST(DemuaWarmStart, RandomStartKeepsTheDrawnWeightsAndUnknownStartsAreNamed) {
  NetworkPhi network(16, 2), drawn(16, 2);
  drawn.initialise(RandomStream(7, "phi"));
  warm_start(network, "random", 4, RandomStream(7, "phi"));
  const Signal x = warm_start_grid().x;
  EXPECT_EQ((network.exact_phi(x) - drawn.exact_phi(x)).abs().maxCoeff(), 0);
  try {
    warm_start(network, "laplace", 4, RandomStream(7, "phi"));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("nn_init: got 'laplace'"), std::string::npos);
  }
}

}  // namespace
}  // namespace nmfbench::demua
