#include "nae_cases.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "core/npy.hpp"

namespace nmfbench::testing {

Array read_npy_slices(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (bytes.size() < 10 || bytes.compare(1, 5, "NUMPY") != 0)
    throw Error(path.string() + ": not a .npy file");
  const std::size_t header_length =
      static_cast<unsigned char>(bytes[8]) + 256 * static_cast<unsigned char>(bytes[9]);
  const std::string header = bytes.substr(10, header_length);
  std::smatch shape;
  if (!std::regex_search(header, shape, std::regex(R"(\((\d+), (\d+), (\d+)\))")))
    return parse_npy(bytes, path.string());
  if (header.find("'<f8'") == std::string::npos || header.find("False") == std::string::npos)
    throw Error(path.string() + ": expected little-endian float64 in C order");
  const Eigen::Index slices = std::stol(shape[1]), rows = std::stol(shape[2]),
                     cols = std::stol(shape[3]);
  const auto* data = reinterpret_cast<const double*>(bytes.data() + 10 + header_length);
  Array out(rows, slices * cols);
  for (Eigen::Index t = 0; t < slices; ++t)
    for (Eigen::Index r = 0; r < rows; ++r)
      for (Eigen::Index c = 0; c < cols; ++c)
        out(r, t * cols + c) = data[(t * rows + r) * cols + c];
  return out;
}

NaeCase::NaeCase(const std::string& name) : name_(name) {
  static const Json cases = read_json(data_dir() / "nae" / "nae_cases.json");
  for (const auto& c : cases["cases"])
    if (c["name"] == name) json_ = c;
  if (json_.is_null()) throw Error("no NAE reference case '" + name + "'");
}

Array NaeCase::array(const std::string& key) const {
  const Json& entry = json_["inputs"].contains(key) ? json_["inputs"][key] : json_["expected"][key];
  if (!entry.contains("file")) throw Error("case " + name_ + ": no array '" + key + "'");
  return read_npy_slices(data_dir() / "nae" / entry["file"].get<std::string>());
}

void NaeCase::expect_array(const Array& got, const Array& expected, const std::string& what,
                           Real tolerance) const {
  ASSERT_EQ(got.rows(), expected.rows()) << name_ << " " << what;
  ASSERT_EQ(got.cols(), expected.cols()) << name_ << " " << what;
  const Real scale = std::max<Real>(1, expected.abs().maxCoeff());
  EXPECT_LE((got - expected).abs().maxCoeff(), tolerance * scale) << name_ << " " << what;
}

void NaeCase::expect_scalar(Real got, const std::string& key, Real tolerance) const {
  expect_scalar(got, json_["expected"][key], tolerance, key);
}

void NaeCase::expect_scalar(Real got, const Json& expected, Real tolerance,
                            const std::string& what) const {
  const Real e = expected.get<Real>();
  EXPECT_LE(std::abs(got - e), tolerance * std::max<Real>(1, std::abs(e))) << name_ << " " << what;
}

}  // namespace nmfbench::testing
