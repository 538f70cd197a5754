#pragma once

// The DR-NMF reference cases (../shared/reference/drnmf, copied to tests/data/drnmf): arrays
// of any rank as NumPy saves them (C order), and the slices the tests compare.

#include <functional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/optim/parameters.hpp"
#include "core/types.hpp"

namespace nmfbench::drnmf::testing {

// A C-ordered float64 .npy file of any rank, flattened.
std::vector<double> read_flat(const std::string& file);
// A 2-D (or 1-D, as a column) case array.
Array read(const std::string& file);
// Slice i of a stack of `rows` x `cols` matrices stored C-ordered: element (r, c) of slice i.
Array slice(const std::vector<double>& flat, std::size_t i, Eigen::Index rows, Eigen::Index cols);
// The case named `name` of manifest.json.
const Json& case_of(const std::string& name);

// Expects every `stride`-th element of each gradient in `parameters` (as a backward pass left
// it) to equal the central difference of `loss`, within 1e-7 relative plus `absolute`.
void expect_gradients_match_differences(ParameterSet& parameters, const std::function<Real()>& loss,
                                        Eigen::Index stride, Real absolute,
                                        const std::string& label);

}  // namespace nmfbench::drnmf::testing
