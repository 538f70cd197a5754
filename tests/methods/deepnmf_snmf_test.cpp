// Sparse NMF analysis with fixed context bases against ../shared/reference/deepnmf (cases
// snmf_beta1, snmf_beta2: H after 1 and 25 updates, the objective after each, eq. 4's
// estimates), deep NMF with C = 0 being that analysis, and the bases learnt on a split.
#include <gtest/gtest.h>

#include "core/random.hpp"
#include "deepnmf_reference.hpp"
#include "methods/deepnmf/analysis.hpp"
#include "methods/deepnmf/network.hpp"
#include "methods/features.hpp"
#include "methods/nmf/parts.hpp"

namespace nmfbench::deepnmf {
namespace {

using namespace reference;

class SnmfReference : public ::testing::TestWithParam<std::string> {};

TEST_P(SnmfReference, UpdatesObjectiveAndEstimatesMatch) {
  const Json c = reference_case(GetParam());
  const Real beta = c["params"]["beta"], mu = c["params"]["mu"];
  const std::vector<int> sizes = c["params"]["R"].get<std::vector<int>>();
  const Array m = case_array("small_M"), wt = normalize_columns(case_array("small_Wbar")).w;
  const LayerBases bases = layer_bases(wt);
  Array h = case_array("small_H0");
  LayerCache cache;
  const std::vector<Real> objective = c["objective"].get<std::vector<Real>>();
  Real previous = analysis_objective(wt, m, h, beta, mu);
  for (std::size_t it = 0; it < objective.size(); ++it) {
    h = update_layer(bases, h, m, beta, mu, cache);
    if (it == 0) {
      EXPECT_LT(relative_error(h, case_array(GetParam() + "_H1")), 1e-10);
    }
    const Real value = analysis_objective(wt, m, h, beta, mu);
    EXPECT_NEAR(value, objective[it], 1e-10 * objective[it]) << "iteration " << it + 1;
    EXPECT_LE(value, previous) << "the objective increased at iteration " << it + 1;
    previous = value;
  }
  EXPECT_LT(relative_error(h, case_array(GetParam() + "_Hn")), 1e-10);
  const std::vector<Array> masks = current_frame_masks(wt, h, sizes);
  const Array estimates = case_array(GetParam() + "_S_est");
  for (std::size_t l = 0; l < masks.size(); ++l)
    EXPECT_LT(relative_error(masks[l] * m, estimates.middleRows(l * m.rows(), m.rows())), 1e-10);
}

INSTANTIATE_TEST_SUITE_P(Cases, SnmfReference, ::testing::Values("snmf_beta1", "snmf_beta2"));

// Deep NMF with no untied layer is sparse NMF's analysis: the same activations after K
// updates and the current frame of eq. 4's estimates.
TEST(Snmf, IsDeepNmfWithoutUntiedLayers) {
  const Array m = case_array("small_M"), w_bar = case_array("small_Wbar"),
              h0 = case_array("small_H0");
  const NetworkConfig config{
      .bins = 6, .layers = 25, .untied = 0, .sizes = {3, 3}, .sparsity = 1, .weights = {1, 0}};
  const Forward pass = forward(config, w_bar, {}, m, h0, {});
  EXPECT_LT(relative_error(pass.h.back(), case_array("snmf_beta1_Hn")), 1e-10);
  const Array wt = normalize_columns(w_bar).w;
  Array h = h0;
  const LayerBases bases = layer_bases(wt);
  LayerCache cache;
  for (int k = 0; k < 25; ++k) h = update_layer(bases, h, m, 1, 1, cache);
  const std::vector<Array> masks = current_frame_masks(wt.bottomRows(6), h, config.sizes);
  for (std::size_t l = 0; l < masks.size(); ++l)
    EXPECT_TRUE((pass.estimates[l] == masks[l] * m.bottomRows(6)).all());
}

// The update without a cache goes a tile of frames at a time: the same activations as the
// cached update of all frames at once, for every beta, over several tiles and a ragged one.
TEST(Snmf, UpdateByTilesGivesTheUpdateOfAllFrames) {
  RandomStream rng(12, "deepnmf-tiles");
  const Eigen::Index frames = 2 * nmf::kTileColumns + 17;
  const LayerBases wt = layer_bases(normalize_columns(rng.uniform_array(40, 7, 0.1, 1)).w);
  const Array m = rng.uniform_array(40, frames, 0.05, 2), a = rng.uniform_array(7, frames, 0.1, 1);
  for (const Real beta : {1.0, 2.0, 0.5}) {
    LayerCache cache;
    const Array whole = update_layer(wt, a, m, beta, 0.3, cache);
    EXPECT_TRUE((update_layer(wt, a, m, beta, 0.3) == whole).all()) << "beta " << beta;
  }
}

}  // namespace
}  // namespace nmfbench::deepnmf
