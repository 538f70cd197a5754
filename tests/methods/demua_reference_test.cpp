// DeMUA's unrolled network against the PyTorch reference of ../shared/reference/demua
// (demua_ref.py check; inputs and values copied to tests/data/demua): the loss and
// d loss / d theta of Algorithm 1 for every Phi and both normalisation placements.
#include <gtest/gtest.h>

#include "core/stft.hpp"
#include "methods/demua/training.hpp"
#include "test_support.hpp"

namespace nmfbench::demua {
namespace {

using testing::data_dir;
using testing::read_npy;

// A nested JSON list (a torch tensor's tolist()) as an array: [[..], ..] rows, or a flat list
// as a column, or a number as 1x1.
Array tensor(const Json& value) {
  if (value.is_number()) return Array::Constant(1, 1, value.get<Real>());
  const auto rows = static_cast<Eigen::Index>(value.size());
  if (!value[0].is_array()) {
    Array a(rows, 1);
    for (Eigen::Index i = 0; i < rows; ++i) a(i, 0) = value[static_cast<std::size_t>(i)];
    return a;
  }
  const auto cols = static_cast<Eigen::Index>(value[0].size());
  Array a(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index j = 0; j < cols; ++j)
      a(i, j) = value[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
  return a;
}

Stft reference_stft() {
  return Stft({1024, 1024, 256, WindowType::hamming, Framing::centered_zero});
}

TrainingItem reference_item() {
  return {read_npy(data_dir() / "demua/small_x.npy").col(0),
          {read_npy(data_dir() / "demua/small_s.npy").col(0)},
          {}};
}

TEST(DemuaReference, PowerSpectrogramMatchesTorchStft) {
  const Array y = reference_stft().forward(reference_item().mixture).abs2();
  const Array expected = read_npy(data_dir() / "demua/small_Y.npy");
  ASSERT_EQ(y.rows(), expected.rows());
  ASSERT_EQ(y.cols(), expected.cols());
  EXPECT_LT(((y - expected).abs() / expected.maxCoeff()).maxCoeff(), 1e-12);
}

TEST(DemuaReference, LossAndGradientMatchPyTorch) {
  const Json reference = testing::read_json(data_dir() / "demua/grad_ref.json");
  const Stft stft = reference_stft();
  const TrainingItem item = reference_item();
  const Array w0 = read_npy(data_dir() / "demua/small_W0.npy");
  const Array h0 = read_npy(data_dir() / "demua/small_H0.npy");
  const Initialiser init = [&](const Array&, Array& w, Array& h) {
    w = w0;
    h = h0;
  };
  int compared = 0;
  for (const auto& c : reference["cases"]) {
    for (const auto& r : c["results"]) {
      SCOPED_TRACE(c["name"].get<std::string>() + " " + r["phi"].get<std::string>() + " " +
                   r["norm"].get<std::string>());
      auto phi = make_phi({r["phi"]});
      ParameterSet& parameters = phi->parameters();
      for (const auto& name : parameters.names()) {
        const std::string key = name == "theta" ? "theta" : name;
        parameters.value(name) = tensor(r["params"][key]);
      }
      Unrolling unrolling;
      unrolling.stacks = c["T"];
      unrolling.recorded = c["L"];
      unrolling.placement = nmf::parse_normalization(r["norm"].get<std::string>());
      const LossAndGradient result = denoise_loss(*phi, stft, item, unrolling, init);
      EXPECT_NEAR(result.loss, r["loss"].get<Real>(), 1e-9 * r["loss"].get<Real>());
      // t and GGD: 1e-6 relative. The network is evaluated through its spline (see
      // NetworkPhi), whose gradients differ from the exact network's by about 1e-7 of the
      // largest entry: each entry is held to 1e-6 of the largest entry of the whole gradient.
      Real largest = 0;
      for (const auto& name : parameters.names())
        largest = std::max(largest, tensor(r["grad"][name]).abs().maxCoeff());
      for (std::size_t p = 0; p < parameters.names().size(); ++p) {
        const Array expected = tensor(r["grad"][parameters.names()[p]]);
        const Array& actual = result.gradient.theta[p];
        ASSERT_EQ(actual.rows(), expected.rows());
        ASSERT_EQ(actual.cols(), expected.cols());
        const Real scale = r["phi"] == "nn" ? largest : expected.abs().maxCoeff();
        EXPECT_LT((actual - expected).abs().maxCoeff(), 1e-6 * scale)
            << parameters.names()[p] << ": got\n"
            << actual.transpose() << "\nexpected\n"
            << expected.transpose();
      }
      ++compared;
    }
  }
  EXPECT_EQ(compared, 12);
}

}  // namespace
}  // namespace nmfbench::demua
