#include <gtest/gtest.h>

#include "core/optim/optimizers.hpp"
#include "methods/drnmf/lstm.hpp"
#include "methods/drnmf_reference.hpp"

namespace nmfbench::drnmf {
namespace {

using testing::case_of;
using testing::expect_gradients_match_differences;
using testing::read;
using testing::read_flat;
using testing::slice;

const char* kNames[] = {"W_ih1", "W_hh1", "b_ih1", "b_hh1", "W_ih2",
                        "W_hh2", "b_ih2", "b_hh2", "W_out", "b_out"};

// An LSTM reference case: small's batch and the case's weights.
struct LstmCase {
  explicit LstmCase(const std::string& name) : name(name), c(case_of(name)) {
    const Json& p = c["params"];
    lengths = p["lengths"].get<std::vector<Eigen::Index>>();
    F = p["F"].get<Eigen::Index>();
    const auto x = read_flat("small_X.npy"), y = read_flat("small_Y.npy");
    Tpad = static_cast<Eigen::Index>(x.size()) / (F * static_cast<Eigen::Index>(lengths.size()));
    std::vector<Array> xs, ys;
    for (std::size_t b = 0; b < lengths.size(); ++b) {
      xs.push_back(slice(x, b, F, Tpad).leftCols(lengths[b]));
      ys.push_back(slice(y, b, F, Tpad).leftCols(lengths[b]));
    }
    batch = SequenceBatch::pack(xs, ys);
    options = {.layers = p["layers"].get<int>(),
               .hidden = p["hidden"].get<int>(),
               .hard_sigmoid = p["gate"] == "hard_sigmoid"};
    parameters = read_parameters("lstm_small_");
  }
  ParameterSet read_parameters(const std::string& prefix) const {
    ParameterSet p;
    for (const char* n : kNames) p.add(n, read(prefix + n + ".npy"));
    return p;
  }

  std::string name;
  const Json& c;
  std::vector<Eigen::Index> lengths;
  Eigen::Index F, Tpad;
  SequenceBatch batch;
  LstmOptions options;
  ParameterSet parameters;
};

void expect_close(const Array& got, const Array& want, Real tolerance, const std::string& what) {
  ASSERT_EQ(got.rows(), want.rows()) << what;
  ASSERT_EQ(got.cols(), want.cols()) << what;
  EXPECT_LE((got - want).abs().maxCoeff(),
            tolerance * std::max<Real>(1e-300, want.abs().maxCoeff()))
      << what;
}

class LstmReference : public ::testing::TestWithParam<std::string> {};

TEST_P(LstmReference, MaskLossGradientsAndOneKerasAdamStepMatch) {
  LstmCase c(GetParam());
  const Lstm lstm(c.options);
  const Array mask = lstm.mask(c.parameters, c.batch);
  const auto want = read_flat(GetParam() + "_mask.npy");
  for (std::size_t b = 0; b < c.lengths.size(); ++b)
    expect_close(c.batch.unpack(mask, static_cast<Eigen::Index>(b)),
                 slice(want, b, c.F, c.Tpad).leftCols(c.lengths[b]), 1e-10, "mask");
  const Real loss = lstm.loss(c.parameters, c.batch, true);
  EXPECT_NEAR(loss, c.c["loss"].get<Real>(), 1e-10 * loss);
  const ParameterSet grads = c.read_parameters(GetParam() + "_grad_");
  for (const char* n : kNames) expect_close(c.parameters.grad(n), grads.value(n), 1e-8, n);
  EXPECT_NEAR(clip_grad_norm(c.parameters, 1e9), c.c["grad_norm"].get<Real>(), 1e-12);
  // The reference clips at 1 Keras' way (g / ||g|| when ||g|| >= 1); its gradient is smaller.
  Adam({.lr = c.c["params"]["adam_lr"].get<Real>(), .keras = true}).step(c.parameters);
  const ParameterSet after = c.read_parameters(GetParam() + "_adam_");
  for (const char* n : kNames) expect_close(c.parameters.value(n), after.value(n), 1e-10, n);
}

INSTANTIATE_TEST_SUITE_P(Cases, LstmReference, ::testing::Values("lstm_small", "lstm_small_keras"));

TEST(Lstm, GradientsMatchFiniteDifferences) {
  LstmCase c("lstm_small");
  const Lstm lstm(c.options);
  lstm.loss(c.parameters, c.batch, true);
  expect_gradients_match_differences(
      c.parameters, [&] { return lstm.loss(c.parameters, c.batch, false); }, 5, 1e-10, "lstm");
}

}  // namespace
}  // namespace nmfbench::drnmf
