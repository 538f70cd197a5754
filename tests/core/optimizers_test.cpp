#include "core/optim/optimizers.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "core/autodiff/ops.hpp"
#include "core/random.hpp"
#include "test_support.hpp"

namespace nmfbench {
namespace {

Array from_rows(const Json& rows) {
  Array a(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows[0].size()));
  for (Eigen::Index r = 0; r < a.rows(); ++r) {
    for (Eigen::Index c = 0; c < a.cols(); ++c) a(r, c) = rows[r][c].get<Real>();
  }
  return a;
}

// The problem of tests/data/optim/torch_reference.py, differentiated on the tape.
class TorchProblem {
 public:
  explicit TorchProblem(const Json& ref) : ref_(ref) {}
  ParameterSet initial() const {
    ParameterSet p;
    for (const char* name : {"p1", "p2"}) p.add(name, from_rows(ref_["init"][name]));
    return p;
  }
  void gradients(ParameterSet& p) const {
    ad::Tape tape;
    const auto bound = p.bind(tape);
    std::vector<ad::Var> terms;
    for (const auto& [name, v] : bound) {
      const ad::Var a = tape.constant(from_rows(ref_["a"][name]));
      const ad::Var t = tape.constant(from_rows(ref_["t"][name]));
      const ad::Var b = tape.constant(from_rows(ref_["b"][name]));
      terms.push_back(ad::sum(a * ad::square(v - t) + b * ad::pow(v, 4)));
    }
    tape.backward(terms[0] + terms[1]);
    p.collect_grads(tape, bound);
  }

 private:
  const Json& ref_;
};

void expect_torch_trajectory(const std::string& name, Optimizer& optimizer) {
  const Json ref = testing::read_json(testing::data_dir() / "optim" / "torch_reference.json");
  const Json& c = ref["cases"][name];
  TorchProblem problem(ref);
  ParameterSet p = problem.initial();
  for (int step = 0; step < 3; ++step) {
    problem.gradients(p);
    if (!c["clip"].is_null()) {
      EXPECT_NEAR(clip_grad_norm(p, c["clip"].get<Real>()), c["norms"][step].get<Real>(), 1e-12)
          << name;
    }
    optimizer.step(p);
    for (const char* param : {"p1", "p2"}) {
      const Array expected = from_rows(c["steps"][step][param]);
      EXPECT_LT((p.value(param) - expected).abs().maxCoeff(), 1e-12)
          << name << " step " << step + 1 << " " << param << "\n"
          << p.value(param) << "\nvs\n"
          << expected;
    }
  }
}

TEST(Optimizers, AdamMatchesPyTorch) {
  Adam adam({.lr = 0.1});
  expect_torch_trajectory("adam", adam);
  Adam decayed({.lr = 0.05, .weight_decay = 0.1});
  expect_torch_trajectory("adam_weight_decay", decayed);
  Adam clipped({.lr = 0.1});
  expect_torch_trajectory("adam_clipped", clipped);
}

TEST(Optimizers, RpropMatchesPyTorch) {
  Rprop rprop({.lr = 0.05});
  expect_torch_trajectory("rprop", rprop);
}

TEST(Optimizers, SgdMatchesPyTorch) {
  Sgd momentum({.lr = 0.02, .momentum = 0.9});
  expect_torch_trajectory("sgd_momentum", momentum);
  Sgd nesterov({.lr = 0.02, .momentum = 0.9, .nesterov = true});
  expect_torch_trajectory("sgd_nesterov", nesterov);
  Sgd damped({.lr = 0.02, .momentum = 0.5, .dampening = 0.3, .weight_decay = 0.01});
  expect_torch_trajectory("sgd_dampening", damped);
}

TEST(Optimizers, ClipGradNormLeavesSmallGradientsAlone) {
  ParameterSet p;
  p.add("x", Array::Zero(1, 2));
  p.grad("x") << 0.3, 0.4;
  EXPECT_DOUBLE_EQ(clip_grad_norm(p, 1.0), 0.5);
  EXPECT_DOUBLE_EQ(p.grad("x")(0, 1), 0.4);
  EXPECT_DOUBLE_EQ(clip_grad_norm(p, 0.25), 0.5);
  EXPECT_NEAR(p.grad("x")(0, 1), 0.4 * 0.25 / (0.5 + 1e-6), 1e-15);
}

TEST(ParameterSet, SavesAndLoadsExactly) {
  const auto dir = testing::scratch_dir();
  ParameterSet p;
  p.add("theta", Array::Constant(1, 1, 0.1 + 1e-17));
  p.add("w", RandomStream(1, "w").normal_array(3, 5));
  p.save(dir / "state.json");
  const ParameterSet q = ParameterSet::load(dir / "state.json");
  EXPECT_EQ(q.names(), p.names());
  for (const auto& n : p.names()) EXPECT_TRUE((q.value(n) == p.value(n)).all()) << n;
}

TEST(ParameterSet, ErrorsNameTheParameterAndField) {
  ParameterSet p;
  p.add("w", Array::Zero(2, 2));
  EXPECT_NE(testing::error_message([&] { p.add("w", Array::Zero(1, 1)); }).find("already defined"),
            std::string::npos);
  EXPECT_NE(testing::error_message([&] { p.value("v"); }).find("unknown parameter 'v'; known: w"),
            std::string::npos);
  const Json bad = Json::parse(R"({"w": {"rows": 2, "cols": 2, "data": [1, 2, 3]}})");
  EXPECT_NE(testing::error_message([&] {
              ParameterSet::from_json(bad);
            }).find("parameters.w.data: expected 4 numbers"),
            std::string::npos);
  const auto dir = testing::scratch_dir();
  std::ofstream(dir / "broken.json") << "{not json";
  EXPECT_NE(testing::error_message([&] {
              ParameterSet::load(dir / "broken.json");
            }).find("not valid JSON"),
            std::string::npos);
  EXPECT_NE(testing::error_message([&] {
              ParameterSet::load(dir / "missing.json");
            }).find("cannot be read"),
            std::string::npos);
}

}  // namespace
}  // namespace nmfbench

namespace nmfbench {
namespace {

TEST(ParameterSet, SplitGradientKeepsBothPartsAndTheirDifference) {
  ParameterSet p;
  p.add("W", Array::Constant(2, 2, 1));
  EXPECT_FALSE(p.has_split_grad("W"));
  Array positive(2, 2), negative(2, 2);
  positive << 1, 2, 3, 4;
  negative << 4, 3, 2, 1;
  p.set_split_grad("W", positive, negative);
  EXPECT_TRUE(p.has_split_grad("W"));
  EXPECT_TRUE((p.grad("W") == positive - negative).all());
  EXPECT_TRUE((p.grad_positive("W") == positive).all());
  EXPECT_NE(testing::error_message([&] {
              p.set_split_grad("W", -positive, negative);
            }).find("parameter 'W': split gradient parts must be non-negative"),
            std::string::npos);
  EXPECT_NE(testing::error_message([&] {
              p.set_split_grad("W", Array::Ones(1, 2), negative);
            }).find("a split gradient part is 1x2, the parameter 2x2"),
            std::string::npos);
  p.zero_grads();
  EXPECT_FALSE(p.has_split_grad("W"));
}

TEST(Optimizers, MultiplicativeUpdateIsTheRatioOfTheParts) {
  ParameterSet p;
  Array w(1, 3);
  w << 2, 3, 5;
  p.add("W", w);
  Array positive(1, 3), negative(1, 3);
  positive << 1, 4, 0;  // a zero positive part is floored, not divided by
  negative << 2, 1, 1e-12;
  p.set_split_grad("W", positive, negative);
  Multiplicative().step(p);
  EXPECT_DOUBLE_EQ(p.value("W")(0, 0), 4);
  EXPECT_DOUBLE_EQ(p.value("W")(0, 1), 0.75);
  EXPECT_DOUBLE_EQ(p.value("W")(0, 2), 5 * 1e-12 / 1e-9);
  ParameterSet plain;
  plain.add("b", Array::Ones(1, 1));
  EXPECT_NE(testing::error_message([&] {
              Multiplicative().step(plain);
            }).find("parameter 'b' has no split gradient"),
            std::string::npos);
}

}  // namespace
}  // namespace nmfbench
