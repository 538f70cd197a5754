#include "methods/drnmf_reference.hpp"

#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace nmfbench::drnmf::testing {

std::vector<double> read_flat(const std::string& file) {
  const auto path = nmfbench::testing::data_dir() / "drnmf" / file;
  std::ifstream in(path, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (bytes.size() < 10) throw Error(path.string() + ": not a .npy file");
  const std::size_t header = static_cast<unsigned char>(bytes[8]) |
                             (static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8);
  if (bytes.find("'fortran_order': False") == std::string::npos)
    throw Error(path.string() + ": expected C order");
  std::vector<double> out((bytes.size() - 10 - header) / sizeof(double));
  std::memcpy(out.data(), bytes.data() + 10 + header, out.size() * sizeof(double));
  return out;
}

Array read(const std::string& file) {
  return nmfbench::testing::read_npy(nmfbench::testing::data_dir() / "drnmf" / file);
}

Array slice(const std::vector<double>& flat, std::size_t i, Eigen::Index rows, Eigen::Index cols) {
  const std::size_t size = static_cast<std::size_t>(rows * cols);
  if ((i + 1) * size > flat.size()) throw Error("reference slice out of range");
  return Eigen::Map<const Eigen::Array<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
      flat.data() + i * size, rows, cols);
}

const Json& case_of(const std::string& name) {
  static const Json manifest =
      nmfbench::testing::read_json(nmfbench::testing::data_dir() / "drnmf" / "manifest.json");
  for (const Json& c : manifest["cases"])
    if (c["name"] == name) return c;
  throw Error("no reference case " + name);
}

void expect_gradients_match_differences(ParameterSet& parameters, const std::function<Real()>& loss,
                                        Eigen::Index stride, Real absolute,
                                        const std::string& label) {
  const Real h = 1e-6;
  for (const auto& name : parameters.names()) {
    const Array analytic = parameters.grad(name);
    for (Eigen::Index i = 0; i < analytic.size(); i += stride) {
      const Real saved = parameters.value(name)(i);
      parameters.value(name)(i) = saved + h;
      const Real up = loss();
      parameters.value(name)(i) = saved - h;
      const Real down = loss();
      parameters.value(name)(i) = saved;
      EXPECT_NEAR((up - down) / (2 * h), analytic(i), 1e-7 * std::abs(analytic(i)) + absolute)
          << label << " " << name << "(" << i << ")";
    }
  }
}

}  // namespace nmfbench::drnmf::testing
