#pragma once

#include <string>

#include "core/json.hpp"
#include "test_support.hpp"

namespace nmfbench::testing {

// One case of tests/data/nae/nae_cases.json (the NAE reference's cases).
class NaeCase {
 public:
  explicit NaeCase(const std::string& name);
  const std::string& name() const { return name_; }
  std::string model() const { return json_.value("model", ""); }
  Real param(const std::string& key) const { return json_["params"][key].get<Real>(); }
  const Json& params() const { return json_["params"]; }
  const Json& expected() const { return json_["expected"]; }
  // An input or expected array by its key. A 3-D (T, rows, cols) array comes back as its T
  // slices side by side (rows x T cols): ad::conv1d's weight layout.
  Array array(const std::string& key) const;
  // max |got - expected| <= tolerance * max(1, max |expected|), the reference's rule.
  void expect_array(const Array& got, const Array& expected, const std::string& what,
                    Real tolerance) const;
  void expect_scalar(Real got, const std::string& key, Real tolerance) const;
  void expect_scalar(Real got, const Json& expected, Real tolerance, const std::string& what) const;

 private:
  std::string name_;
  Json json_;
};

// prefix, the number and suffix: a case's key such as "Z1_step20". Appended, as GCC 12 warns
// on "literal" + std::string (bug 105329).
inline std::string key(std::string prefix, std::size_t number, const std::string& suffix = "") {
  prefix += std::to_string(number);
  return prefix += suffix;
}

// A float64 C-order .npy of 1 to 3 dimensions; 3-D as above.
Array read_npy_slices(const std::filesystem::path& path);

}  // namespace nmfbench::testing
