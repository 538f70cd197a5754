// What models see: context stacking as the deep NMF reference stacks it
// (../shared/reference/deepnmf, case small: F 6, context 3), magnitudes and log compression,
// and per-row statistics learnt on training features and saved with a method's state.
#include "methods/features.hpp"

#include <gtest/gtest.h>

#include "core/random.hpp"
#include "test_support.hpp"

namespace nmfbench {
namespace {

TEST(Features, ContextStackingMatchesTheReference) {
  const Array mag = testing::read_npy(testing::data_dir() / "deepnmf" / "small_mag.npy");
  const Array expected = testing::read_npy(testing::data_dir() / "deepnmf" / "small_M.npy");
  const Array stacked = stack_context(mag, 3);
  ASSERT_EQ(stacked.rows(), 3 * mag.rows());
  ASSERT_EQ(stacked.cols(), mag.cols());
  EXPECT_EQ((stacked - expected).abs().maxCoeff(), 0);
  // The last F rows are the current frame; one frame of context is the features themselves.
  EXPECT_TRUE((stacked.bottomRows(mag.rows()) == mag).all());
  EXPECT_TRUE((stack_context(mag, 1) == mag).all());
  EXPECT_THROW(stack_context(mag, 0), Error);
}

TEST(Features, MagnitudePowerAndLog) {
  ComplexArray x(1, 2);
  x << Complex(3, 4), Complex(0, -2);
  EXPECT_TRUE((magnitude_features(x, 1) == (Array(1, 2) << 5, 2).finished()).all());
  EXPECT_TRUE(magnitude_features(x, 2).isApprox((Array(1, 2) << 25, 4).finished(), 1e-15));
  EXPECT_NEAR(log_features(Array::Zero(1, 1), 1e-9)(0, 0), std::log(1e-9), 1e-15);
}

TEST(Features, StatisticsStandardiseAndTravelWithTheState) {
  Array features = RandomStream(3, "f").normal_array(4, 50) * 3 + 2;
  features.row(2).setConstant(7);  // no spread: divided by 1, not by 0
  const FeatureStatistics s = FeatureStatistics::fit(features);
  const Array z = s.apply(features);
  EXPECT_LT(z.rowwise().mean().abs().maxCoeff(), 1e-12);
  EXPECT_NEAR((z.row(0).square().mean()), 1, 1e-12);  // population standard deviation
  EXPECT_EQ(s.std(2, 0), 1);
  const FeatureStatistics loaded =
      FeatureStatistics::from_json(Json::parse(s.to_json().dump()), "m");
  EXPECT_TRUE((loaded.mean == s.mean).all() && (loaded.std == s.std).all());
  EXPECT_NE(testing::error_message([&] { s.apply(Array::Zero(3, 2)); }).find("learnt for 4 rows"),
            std::string::npos);
  Json bad = s.to_json();
  bad["std"]["data"][0] = 0.0;
  EXPECT_NE(testing::error_message([&] {
              FeatureStatistics::from_json(bad, "m");
            }).find("m: feature statistics"),
            std::string::npos);
}

}  // namespace
}  // namespace nmfbench
