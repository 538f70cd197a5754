#pragma once

// NumPy's .npy format (version 1.0) for float64 arrays: how large arrays of trained state
// travel beside a model's JSON, and how the Python references' cases are read.

#include <string>

#include "core/types.hpp"

namespace nmfbench {

// The file's bytes: little-endian float64, Fortran (column-major) order, shape (rows, cols).
std::string npy_bytes(const Array& array);

// A 1-D or 2-D little-endian float64 array in either order. Throws Error naming `what` for
// anything else: another dtype, a bad header, a shape that does not match the data.
Array parse_npy(const std::string& bytes, const std::string& what);

}  // namespace nmfbench
