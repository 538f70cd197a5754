// The DNN baseline of paper 001 against ../shared/reference/deepnmf (case dnn_small, hidden
// 5-4 on case small): standardised log features, the mask, eq. 11's loss and the gradient of
// every weight and bias, to 1e-10 relative; the tape's gradient against finite differences;
// and dnn_mask trained by the shared loop.
#include <gtest/gtest.h>

#include "core/autodiff/gradient_check.hpp"
#include "core/autodiff/ops.hpp"
#include "core/indexed_name.hpp"
#include "deepnmf_reference.hpp"
#include "methods/deepnmf/mask_network.hpp"
#include "methods/features.hpp"
#include "methods/registry.hpp"

namespace nmfbench::deepnmf {
namespace {

using namespace reference;

struct DnnCase {
  Array x, mag, speech;
  ParameterSet network;
  DnnCase() {
    mag = case_array("small_mag");
    speech = case_array("small_S").topRows(mag.rows());
    const FeatureStatistics s = FeatureStatistics::fit(log_features(stack_context(mag, 3), 1e-9));
    x = s.apply(log_features(stack_context(mag, 3), 1e-9));
    EXPECT_LT(relative_error(s.mean, case_array("dnn_small_x_mean")), 1e-10);
    EXPECT_LT(relative_error(s.std, case_array("dnn_small_x_std")), 1e-10);
    for (int i = 1; i <= 3; ++i) {
      network.add(indexed("W", i), case_array(indexed("dnn_small_W", i)));
      network.add(indexed("b", i), case_array(indexed("dnn_small_b", i)));
    }
  }
};

TEST(DnnMask, FeaturesMaskLossAndGradientsMatchTheReference) {
  DnnCase c;
  EXPECT_LT(relative_error(c.x, case_array("dnn_small_X")), 1e-10);
  ad::Tape tape;
  const auto bound = c.network.bind(tape);
  const ad::Var y = mask(bound, layer_count(c.network), tape.constant(c.x));
  EXPECT_LT(relative_error(y.value(), case_array("dnn_small_y")), 1e-10);
  const ad::Var loss = signal_approximation(y, c.mag, c.speech);
  const Real expected = reference_case("dnn_small")["E"];
  EXPECT_NEAR(loss.scalar(), expected, 1e-10 * expected);
  tape.backward(loss);
  c.network.collect_grads(tape, bound);
  for (const std::string& name : c.network.names())
    EXPECT_LT(relative_error(c.network.grad(name), case_array("dnn_small_d" + name)), 1e-10)
        << name;
}

TEST(DnnMask, GradientPassesFiniteDifferences) {
  DnnCase c;
  std::vector<Array> inputs;
  for (const std::string& name : c.network.names()) inputs.push_back(c.network.value(name));
  const ad::GradientCheck check = ad::check_gradients(
      [&](ad::Tape& tape, const std::vector<ad::Var>& v) {
        std::map<std::string, ad::Var> bound;
        for (std::size_t i = 0; i < v.size(); ++i) bound[c.network.names()[i]] = v[i];
        return signal_approximation(mask(bound, 3, tape.constant(c.x)), c.mag, c.speech);
      },
      inputs);
  EXPECT_LT(check.max_relative_error, 1e-6) << check.worst;
}

TEST(DnnMask, TopologiesAndCounts) {
  EXPECT_EQ(parse_topology("2x1536", "m"), (std::vector<int>{1536, 1536}));
  EXPECT_NE(testing::error_message([] {
              parse_topology("3x", "dnn_mask");
            }).find("dnn_mask: topology '3x': expected LxN"),
            std::string::npos);
  RandomStream rng(1, "init");
  const ParameterSet network = make_mask_network(9 * 257, {1024, 1024}, 257, rng);
  long count = 0;
  for (const auto& name : network.names()) count += network.value(name).size();
  EXPECT_EQ(count, (2313 + 1) * 1024 + (1024 + 1) * 1024 + (1024 + 1) * 257);
}

}  // namespace
}  // namespace nmfbench::deepnmf
