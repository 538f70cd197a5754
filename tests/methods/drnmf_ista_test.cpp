#include <gtest/gtest.h>

#include "methods/drnmf/ista.hpp"
#include "methods/drnmf/sparse_nmf.hpp"
#include "methods/drnmf_reference.hpp"

namespace nmfbench::drnmf {
namespace {

using testing::case_of;
using testing::read;

void expect_near(const Array& got, const Array& want, Real tolerance, const std::string& what) {
  ASSERT_EQ(got.rows(), want.rows()) << what;
  ASSERT_EQ(got.cols(), want.cols()) << what;
  const Real scale = std::max<Real>(1, want.abs().maxCoeff());
  EXPECT_LE((got - want).abs().maxCoeff(), tolerance * scale) << what;
}

void expect_near(const std::vector<Real>& got, const Json& want, Real tolerance,
                 const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], want[i].get<Real>(), tolerance * std::max<Real>(1, std::abs(got[i])))
        << what << " [" << i << "]";
}

struct IstaCase {
  Array x = read("ista_x.npy"), w = read("ista_W.npy"), h0 = read("ista_h0.npy");
  const Json& params = case_of("ista")["params"];
  Ista ista{w, {.alpha = params["alpha"].get<Real>(), .lambda = params["lam"].get<Real>()}};
  int iterations = params["K"].get<int>();
};

TEST(DrNmfIsta, PlainIstaMatchesTheReferenceAndNeverIncreasesTheObjective) {
  const IstaCase c;
  Array h = c.h0.replicate(1, c.x.cols());
  std::vector<Real> objective = {c.ista.objective(c.x, h)};
  for (int k = 0; k < c.iterations; ++k) {
    c.ista.iterate(c.x, h);
    objective.push_back(c.ista.objective(c.x, h));
    EXPECT_LE(objective.back(), objective[objective.size() - 2] * (1 + 1e-12));
  }
  expect_near(h, read("ista_alg1_H.npy"), 1e-10, "alg1 H");
  expect_near(objective, case_of("ista")["alg1_objective"], 1e-10, "alg1 objective");
}

TEST(DrNmfIsta, WarmStartMatchesTheReferenceAndEqualsPlainIstaOnTheFirstFrame) {
  const IstaCase c;
  const Array warm = c.ista.warm_start(c.x, c.h0, c.iterations);
  expect_near(warm, read("ista_alg2_H.npy"), 1e-10, "alg2 H");
  Array first = c.h0;
  for (int k = 0; k < c.iterations; ++k) c.ista.iterate(c.x.col(0), first);
  expect_near(warm.col(0), first, 1e-14, "first frame");
}

TEST(DrNmfIsta, RejectsANonPositiveStepSize) {
  EXPECT_THROW(Ista(Array::Ones(2, 2), {.alpha = 0}), Error);
}

struct SnmfCase {
  const Json& c = case_of("snmf_init");
  Eigen::Index ny = c["params"]["Ny"].get<Eigen::Index>();
  int iterations = c["params"]["n_iter"].get<int>();
  Array y = read("snmf_init_Y.npy"), x = read("snmf_init_X.npy");
  Array w0_speech = read("snmf_init_W0_speech.npy"), h0_speech = read("snmf_init_H0_speech.npy");
  Array w0_noise = read("snmf_init_W0_noise.npy"), h0_noisy = read("snmf_init_H0_noisy.npy");
  SparseNmfOptions options(int n, Eigen::Index first = 0) const {
    return {.sparsity = 1, .max_iterations = n, .conv_eps = 0, .first_updated = first};
  }
  Array step2_w0(const Array& speech) const {
    Array w(speech.rows(), speech.cols() + w0_noise.cols());
    w << speech, w0_noise;
    return w;
  }
};

TEST(DrNmfSparseNmf, StepOneLearnsTheSpeechBasesAsTheReference) {
  const SnmfCase s;
  const SparseNmfResult one = sparse_nmf(s.y, s.w0_speech, s.h0_speech, s.options(1));
  expect_near(one.w, read("snmf_init_step1_W1.npy"), 1e-10, "W after 1");
  expect_near(one.h, read("snmf_init_step1_H1.npy"), 1e-10, "H after 1");
  const SparseNmfResult all = sparse_nmf(s.y, s.w0_speech, s.h0_speech, s.options(s.iterations));
  expect_near(all.w, read("snmf_init_step1_W.npy"), 1e-10, "W");
  expect_near(all.h, read("snmf_init_step1_H.npy"), 1e-10, "H");
  expect_near(all.cost, s.c["step1_cost"], 1e-10, "cost");
  expect_near(all.divergence, s.c["step1_div"], 1e-10, "div");
}

TEST(DrNmfSparseNmf, StepTwoLearnsOnlyTheNoiseBasesAsTheReference) {
  const SnmfCase s;
  const Array speech = read("snmf_init_step1_W.npy");
  const Array w0 = s.step2_w0(speech);
  const SparseNmfResult one = sparse_nmf(s.x, w0, s.h0_noisy, s.options(1, s.ny));
  expect_near(one.w, read("snmf_init_step2_W1.npy"), 1e-10, "W after 1");
  expect_near(one.h, read("snmf_init_step2_H1.npy"), 1e-10, "H after 1");
  const SparseNmfResult all = sparse_nmf(s.x, w0, s.h0_noisy, s.options(s.iterations, s.ny));
  expect_near(all.w, read("snmf_init_step2_W.npy"), 1e-10, "W");
  expect_near(all.h, read("snmf_init_step2_H.npy"), 1e-10, "H");
  expect_near(all.cost, s.c["step2_cost"], 1e-10, "cost");
  expect_near(all.divergence, s.c["step2_div"], 1e-10, "div");
  EXPECT_LE((all.w.leftCols(s.ny) - speech).abs().maxCoeff(), 1e-15) << "speech bases held";
}

TEST(DrNmfSparseNmf, StopsWhenTheRelativeChangeFallsBelowConvEps) {
  const SnmfCase s;
  SparseNmfOptions options = s.options(500);
  options.conv_eps = s.c["params"]["conv_eps"].get<Real>();
  const SparseNmfResult r = sparse_nmf(s.y, s.w0_speech, s.h0_speech, options);
  EXPECT_EQ(static_cast<int>(r.cost.size()), s.c["conv_iterations"].get<int>());
  EXPECT_NEAR(r.cost.back(), s.c["conv_final_cost"].get<Real>(), 1e-9);
}

TEST(DrNmfSparseNmf, TestTimeMaskMatchesTheReference) {
  const SnmfCase s;
  const Array w = read("snmf_init_step2_W.npy");
  expect_near(sparse_nmf_mask(s.x, w, s.h0_noisy, s.ny, 1, 200), read("snmf_init_test_mask.npy"),
              1e-10, "mask");
}

TEST(DrNmfSparseNmf, RejectsMismatchedShapes) {
  EXPECT_THROW(sparse_nmf(Array::Ones(3, 4), Array::Ones(3, 2), Array::Ones(2, 5), {}), Error);
}

}  // namespace
}  // namespace nmfbench::drnmf
