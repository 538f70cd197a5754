#pragma once

#include <cmath>
#include <complex>
#include <stdexcept>
#include <string>

#include <Eigen/Core>

namespace nmfbench {

// One scalar type for the whole build (see DESIGN.md, "Spectrogram convention").
using Real = double;
using Complex = std::complex<Real>;

// Spectrograms are column-major: rows = frequency bins (M), columns = frames (N).
using Array = Eigen::Array<Real, Eigen::Dynamic, Eigen::Dynamic>;
using ComplexArray = Eigen::Array<Complex, Eigen::Dynamic, Eigen::Dynamic>;
using Signal = Eigen::Array<Real, Eigen::Dynamic, 1>;

// True when no element is NaN or infinite. x * 0 is NaN exactly for those, and the sum
// vectorises, unlike Eigen's allFinite(), which compares element by element.
template <typename Derived>
bool all_finite(const Eigen::ArrayBase<Derived>& x) {
  return std::isfinite((x * 0).sum());
}

// Every error nmfbench reports about its input. Messages name the file, field or
// parameter at fault and what was expected; the sweep runner turns them into failed cells.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace nmfbench
