// The network Phi's warm start: after it, the network is the t (or Gaussian) model's Phi on the
// grid of log r, and a spec's untrained network reproduces the t model's results.
#include <gtest/gtest.h>

#include "methods/demua/warm_start.hpp"

namespace nmfbench::demua {
namespace {

TEST(DemuaWarmStart, NetworkMatchesTheTargetPhiOnTheGrid) {
  const Signal x = warm_start_grid();
  // The first draw of the nu = 1 case's stream ends in a local minimum (0.22 off): the fit
  // starts again from new draws.
  const std::vector<std::pair<Real, RandomStream>> cases = {
      {1.0, RandomStream(11, "train/A/x").derive("phi")}, {4.0, RandomStream(7, "phi")}};
  for (const auto& [nu, rng] : cases) {
    NetworkPhi network(16, 2);
    warm_start(network, "t", nu, rng);
    const Signal target = StudentTPhi(nu).zeta(x.exp()).log();
    EXPECT_LT((network.exact_phi(x) - target).abs().maxCoeff(), 1e-3) << "nu = " << nu;
    // The spline the updates evaluate follows the fitted network too.
    EXPECT_LT((network.zeta(x.exp()).log() - target).abs().maxCoeff(), 1e-3) << "nu = " << nu;
  }
  NetworkPhi network(16, 2);
  warm_start(network, "gaussian", 4, RandomStream(8, "phi"));
  EXPECT_LT(network.exact_phi(x).abs().maxCoeff(), 1e-3);
}

TEST(DemuaWarmStart, RandomStartKeepsTheDrawnWeightsAndUnknownStartsAreNamed) {
  NetworkPhi network(16, 2), drawn(16, 2);
  drawn.initialise(RandomStream(7, "phi"));
  warm_start(network, "random", 4, RandomStream(7, "phi"));
  const Signal x = warm_start_grid();
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
