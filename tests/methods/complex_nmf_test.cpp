#include "methods/nmf/complex_nmf.hpp"

#include <gtest/gtest.h>

#include "core/autodiff/ops.hpp"
#include "core/random.hpp"
#include "methods/nmf/multiplicative_update.hpp"
#include "test_support.hpp"

namespace nmfbench::nmf {
namespace {

Real relative_error(const Array& a, const Array& b) {
  return (a - b).abs().maxCoeff() / b.abs().maxCoeff();
}

struct Problem {
  Array y, w, h;
};

Problem random_problem(Eigen::Index m, Eigen::Index n, Eigen::Index k, const std::string& key) {
  RandomStream rng(9, key);
  const Array wt = rng.uniform_array(m, k, 0.01, 1), ht = rng.uniform_array(k, n, 0.01, 1);
  Array noise = rng.uniform_array(m, n, 1e-6, 1);
  noise = -noise.log();  // exponential: the power of complex Gaussian noise
  return {(wt.matrix() * ht.matrix()).array() * noise, rng.uniform_array(m, k, 0.1, 1.1),
          rng.uniform_array(k, n, 0.1, 1.1)};
}

std::unique_ptr<StatisticalModel> model_of(const Json& c) {
  const std::string name = c["model"] == "gauss" ? "gaussian" : c["model"].get<std::string>();
  const Real param = c["param"].is_null() ? 0 : c["param"].get<Real>();
  return make_model(name, param, param);
}

// The NumPy reference (tests/data/nmf, from nmf_ref.py): W and H after 1 and 50 iterations.
TEST(ComplexNmf, MatchesTheReferenceTrajectories) {
  const auto dir = testing::data_dir() / "nmf";
  const Json manifest = testing::read_json(dir / "manifest.json");
  const Array y = testing::read_npy(dir / "Y.npy");
  int checked = 0;
  for (const auto& c : manifest["cases"]) {
    if (c["norm"] == "paper_end") continue;  // not offered: it breaks Gaussian NMF
    const Normalization placement =
        c["norm"] == "paper_after_w" ? Normalization::after_w : Normalization::end_rescale_h;
    const auto model = model_of(c);
    Array w = testing::read_npy(dir / "W0.npy"), h = testing::read_npy(dir / "H0.npy");
    Array w_twin = w, h_twin = h;
    ComplexNmfSolver solver(y.rows(), y.cols(), w.cols());
    const auto zeta = [&](const Array& r) { return model->zeta(r); };
    for (int it = 1; it <= 50; ++it) {
      solver.iterate(y, w, h, *model, placement);
      mu::iterate(y, w_twin, h_twin, zeta, placement);
      if (it == 1 || it == 50) {
        const std::string tag = std::to_string(it) + "_" + c["model"].get<std::string>() + "_" +
                                c["norm"].get<std::string>();
        const Array w_ref = testing::read_npy(dir / ("W" + tag + ".npy"));
        const Array h_ref = testing::read_npy(dir / ("H" + tag + ".npy"));
        EXPECT_LT(relative_error(w, w_ref), 1e-9) << tag;
        EXPECT_LT(relative_error(h, h_ref), 1e-9) << tag;
        EXPECT_LT(relative_error(w_twin, w_ref), 1e-9) << "naive twin " << tag;
        EXPECT_LT(relative_error(h_twin, h_ref), 1e-9) << "naive twin " << tag;
      }
    }
    ++checked;
  }
  EXPECT_EQ(checked, 6);
}

TEST(ComplexNmf, GaussianCostNeverIncreases) {
  for (auto placement : {Normalization::after_w, Normalization::end_rescale_h}) {
    Problem p = random_problem(40, 60, 6, "monotone");
    const GaussianModel model;
    ComplexNmfSolver solver(40, 60, 6);
    Real previous = complex_nmf_cost(p.y, p.w, p.h, model);
    for (int it = 0; it < 300; ++it) {
      solver.iterate(p.y, p.w, p.h, model, placement);
      const Real cost = complex_nmf_cost(p.y, p.w, p.h, model);
      ASSERT_LE(cost, previous + 1e-9 * std::abs(previous))
          << to_string(placement) << " iteration " << it;
      previous = cost;
    }
  }
}

TEST(ComplexNmf, GgdWithBetaTwoIsGaussianAndLargeNuApproachesIt) {
  const Problem start = random_problem(30, 20, 4, "limits");
  auto run = [&](const StatisticalModel& model) {
    Problem p = start;
    ComplexNmfSolver solver(30, 20, 4);
    for (int it = 0; it < 20; ++it) solver.iterate(p.y, p.w, p.h, model, Normalization::after_w);
    return p;
  };
  const Problem gauss = run(GaussianModel());
  const Problem ggd = run(GgdModel(2.0));
  EXPECT_LT(relative_error(ggd.w, gauss.w), 1e-12);
  EXPECT_LT(relative_error(ggd.h, gauss.h), 1e-12);
  Real previous = 1;
  for (Real nu : {1e2, 1e4, 1e6}) {
    const Problem t = run(StudentTModel(nu));
    const Real error = relative_error(t.h, gauss.h);
    EXPECT_LT(error, previous);
    previous = error;
  }
  EXPECT_LT(previous, 1e-4);
}

// Eq. (5): each update multiplies by the ratio of the negative to the positive part of the
// cost's gradient, so positive part - negative part must equal the gradient the tape computes.
TEST(ComplexNmf, UpdateIsTheRatioOfTheGradientsParts) {
  const Problem p = random_problem(12, 9, 3, "parts");
  const std::vector<
      std::pair<std::unique_ptr<StatisticalModel>, std::function<ad::Var(const ad::Var&)>>>
      models = [] {
        std::vector<
            std::pair<std::unique_ptr<StatisticalModel>, std::function<ad::Var(const ad::Var&)>>>
            v;
        v.emplace_back(std::make_unique<GaussianModel>(), [](const ad::Var& r) { return r; });
        v.emplace_back(std::make_unique<StudentTModel>(3.0),
                       [](const ad::Var& r) { return (5.0 / 2) * ad::log(1.0 + (2.0 / 3) * r); });
        v.emplace_back(std::make_unique<GgdModel>(0.7),
                       [](const ad::Var& r) { return (2 / 0.7) * ad::pow(r, 0.35); });
        return v;
      }();
  for (const auto& [model, neg_log_f] : models) {
    ad::Tape tape;
    const ad::Var w = tape.variable(p.w), h = tape.variable(p.h);
    const ad::Var yhat = ad::matmul(w, h);
    tape.backward(ad::sum(ad::log(yhat) + neg_log_f(tape.constant(p.y) / yhat)));
    // The parts as the solver forms them: num = (zeta y / yhat^2) H^T, den = (1 / yhat) H^T.
    const Array yhat_v = (p.w.matrix() * p.h.matrix()).array();
    Array numerator(yhat_v.rows(), yhat_v.cols()), denominator(yhat_v.rows(), yhat_v.cols());
    model->update_weights(p.y, yhat_v, numerator, denominator);
    const Array pos_w = (denominator.matrix() * p.h.matrix().transpose()).array();
    const Array neg_w = (numerator.matrix() * p.h.matrix().transpose()).array();
    EXPECT_LT(relative_error(pos_w - neg_w, tape.grad(w)), 1e-10) << model->name();
    const Array pos_h = (p.w.matrix().transpose() * denominator.matrix()).array();
    const Array neg_h = (p.w.matrix().transpose() * numerator.matrix()).array();
    EXPECT_LT(relative_error(pos_h - neg_h, tape.grad(h)), 1e-10) << model->name();
    // And the solver's W update is exactly that ratio.
    Array w_updated = p.w;
    ComplexNmfSolver solver(12, 9, 3);
    solver.update_w(p.y, w_updated, p.h, *model);
    EXPECT_LT(relative_error(w_updated, p.w * neg_w / pos_w), 1e-13) << model->name();
  }
}

TEST(ComplexNmf, SolverMatchesItsNaiveTwinOnEveryModelAndPlacement) {
  for (const char* name : {"gaussian", "t", "ggd"}) {
    const auto model = make_model(name, 1.0, 0.5);
    for (auto placement : {Normalization::after_w, Normalization::end_rescale_h}) {
      Problem fast = random_problem(33, 150, 5, "twin"), naive = fast;
      ComplexNmfSolver solver(33, 150, 5);  // parts of 75 columns: tiles of 64 and 11
      const auto zeta = [&](const Array& r) { return model->zeta(r); };
      for (int it = 0; it < 10; ++it) {
        solver.iterate(fast.y, fast.w, fast.h, *model, placement);
        mu::iterate(naive.y, naive.w, naive.h, zeta, placement);
      }
      EXPECT_LT(relative_error(fast.w, naive.w), 1e-11) << name;
      EXPECT_LT(relative_error(fast.h, naive.h), 1e-11) << name;
    }
  }
}

TEST(ComplexNmf, BadSettingsAreErrors) {
  EXPECT_NE(testing::error_message([] { make_model("laplace", 1, 1); }).find("gaussian, t, ggd"),
            std::string::npos);
  EXPECT_NE(testing::error_message([] { StudentTModel(0); }).find("nu must be > 0"),
            std::string::npos);
  EXPECT_NE(testing::error_message([] {
              parse_normalization("paper_end");
            }).find("after_w, end_rescale_h, end"),
            std::string::npos);
  ComplexNmfSolver solver(4, 5, 2);
  Array y = Array::Ones(4, 5), w = Array::Ones(4, 3), h = Array::Ones(3, 5);
  EXPECT_NE(testing::error_message([&] {
              solver.iterate(y, w, h, GaussianModel(), Normalization::after_w);
            }).find("expected 4xK and Kx5 with K = 2"),
            std::string::npos);
}

}  // namespace
}  // namespace nmfbench::nmf
