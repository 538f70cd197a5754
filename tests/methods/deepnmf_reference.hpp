#pragma once

// Reading the cases of ../shared/reference/deepnmf copied into tests/data/deepnmf.

#include "test_support.hpp"

namespace nmfbench::deepnmf::reference {

inline Array case_array(const std::string& name) {
  return nmfbench::testing::read_npy(nmfbench::testing::data_dir() / "deepnmf" / (name + ".npy"));
}

inline Json reference_case(const std::string& name) {
  const auto manifest = nmfbench::testing::data_dir() / "deepnmf" / "manifest.json";
  const Json cases = nmfbench::testing::read_json(manifest)["cases"];
  for (const Json& c : cases)
    if (c.value("name", "") == name) return c;
  throw Error("no case " + name + " in " + manifest.string());
}

// |got - want| relative to max(1, max |want|), the reference's measure; 1 for another shape.
inline Real relative_error(const Array& got, const Array& want) {
  if (got.rows() != want.rows() || got.cols() != want.cols()) return 1;
  return (got - want).abs().maxCoeff() / std::max<Real>(1, want.abs().maxCoeff());
}

}  // namespace nmfbench::deepnmf::reference
