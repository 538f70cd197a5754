#include "methods/registry.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace nmfbench {
namespace {

using testing::error_message;

TEST(Registry, ListsTheMethodsWithTheirSchemas) {
  const auto& all = method_registry().all();
  ASSERT_GE(all.size(), 2u);
  const auto& complex = method_registry().find("complex_nmf");
  EXPECT_FALSE(complex.info.summary.empty());
  std::vector<std::string> names;
  for (const auto& p : complex.info.parameters) names.push_back(p.name);
  EXPECT_EQ(names, (std::vector<std::string>{"model", "nu", "beta", "components",
                                             "train_iterations", "normalization"}));
}

// Random initial weights come from the run's streams, keyed by the configuration: no method
// takes a seed of its own, which would give every configuration the same draw.
TEST(Registry, NoMethodTakesASeedParameter) {
  for (const auto& m : method_registry().all())
    for (const auto& p : m.info.parameters)
      EXPECT_EQ(p.name.find("seed"), std::string::npos) << m.info.name << "." << p.name;
}

TEST(Registry, UnknownMethodsAndParametersNameTheValidChoices) {
  auto msg = error_message([] { method_registry().find("nfm"); });
  EXPECT_NE(msg.find("unknown method 'nfm'; registered methods: complex_nmf, beta_nmf"),
            std::string::npos)
      << msg;
  msg = error_message([] { method_registry().make("complex_nmf", Task::denoise, {{"K", 3}}); });
  EXPECT_NE(msg.find("complex_nmf: unknown parameter 'K'; valid parameters: model, nu, beta"),
            std::string::npos)
      << msg;
  msg = error_message([] { method_registry().make("complex_nmf", Task::denoise, {{"nu", -1.0}}); });
  EXPECT_NE(msg.find("complex_nmf.nu: -1.0 is out of range, expected real in [1e-06, 1e+06]"),
            std::string::npos)
      << msg;
  msg = error_message([] {
    method_registry().make("complex_nmf", Task::denoise, {{"model", "cauchy"}});
  });
  EXPECT_NE(msg.find("expected one of gaussian, t, ggd"), std::string::npos) << msg;
  msg = error_message([] {
    method_registry().make("complex_nmf", Task::denoise, {{"components", 2.5}});
  });
  EXPECT_NE(msg.find("complex_nmf.components: got 2.5, expected integer"), std::string::npos)
      << msg;
  msg = error_message([] { method_registry().make("beta_nmf", Task::denoise, Json::object()); });
  EXPECT_NE(msg.find("does not support the task 'denoise'; it supports separate"),
            std::string::npos)
      << msg;
  msg = error_message([] {
    method_registry().make("beta_nmf", Task::separate, {{"normalized_bases", 1}});
  });
  EXPECT_NE(msg.find("expected boolean"), std::string::npos) << msg;
}

TEST(Registry, RefusesADuplicateName) {
  MethodRegistry registry;
  registry.add({{"x", "", {{Task::denoise, {}}}, {}}, nullptr});
  EXPECT_NE(error_message([&] {
              registry.add({{"x", "", {{Task::denoise, {}}}, {}}, nullptr});
            }).find("registered twice"),
            std::string::npos);
}

TEST(Parameters, DefaultsAreFilledAndDescribed) {
  const std::vector<ParameterSpec> schema = {real_parameter("a", 0.5, 0, 1, "a"),
                                             choice_parameter("b", "x", {"x", "y"}, "b")};
  const ParameterValues v = ParameterValues::resolve(schema, {{"b", "y"}}, "m");
  EXPECT_EQ(v.real("a"), 0.5);
  EXPECT_EQ(v.choice("b"), "y");
  EXPECT_EQ(v.json().dump(), R"({"a":0.5,"b":"y"})");
  EXPECT_EQ(schema[0].describe(), "real in [0, 1], default 0.5");
  EXPECT_NE(error_message([&] {
              ParameterValues::resolve(schema, Json::array(), "m");
            }).find("must be a JSON object"),
            std::string::npos);
}

}  // namespace
}  // namespace nmfbench
