#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <numbers>

#include "core/random.hpp"

namespace nmfbench::testing {

std::filesystem::path data_dir() {
  return NMFBENCH_TEST_DATA;
}

std::filesystem::path scratch_dir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "bench";
  for (auto& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.') c = '_';
  }
  const auto dir = std::filesystem::temp_directory_path() / "nmfbench_tests" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

Json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw Error("cannot open " + path.string());
  return Json::parse(in);
}

Signal test_signal(Eigen::Index length, const std::string& key) {
  RandomStream rng(7, key);
  Signal x(length);
  const Real f = 0.01 + 0.02 * rng.uniform();
  for (Eigen::Index i = 0; i < length; ++i) {
    const Real t = static_cast<Real>(i);
    x[i] = std::sin(2 * std::numbers::pi * f * t) +
           0.5 * std::sin(2 * std::numbers::pi * 2.7 * f * t + 1) + 0.1 * rng.normal();
  }
  return x;
}

std::pair<ad::Var, ad::Var> is_nmf_iteration(const ad::Var& Y, ad::Var W, ad::Var H) {
  using ad::matmul;
  const ad::Var Yhat_w = matmul(W, H);
  W = W * matmul(Y / ad::square(Yhat_w), H, false, true) / matmul(1.0 / Yhat_w, H, false, true);
  const ad::Var Yhat_h = matmul(W, H);
  H = H * matmul(W, Y / ad::square(Yhat_h), true, false) / matmul(W, 1.0 / Yhat_h, true, false);
  return {W, H};
}

}  // namespace nmfbench::testing
