#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/autodiff/tape.hpp"

namespace nmfbench::ad {

// A scalar function of several arrays, written with Vars so that the tape can differentiate it.
using ScalarFunction = std::function<Var(Tape&, const std::vector<Var>&)>;

struct GradientCheck {
  Real max_relative_error = 0;  // over all inputs, see check_gradients
  std::string worst;            // where it occurred, "input i (r, c): analytic vs numeric"
};

// Compares backward() with central finite differences, element by element. Per input, the
// error is max |analytic - numeric| / max(max |numeric|, max |analytic|, 1e-12): relative to
// the gradient's scale, so entries that are zero by symmetry do not inflate it. The step is
// `step` * max(1, |x|).
GradientCheck check_gradients(const ScalarFunction& f, const std::vector<Array>& inputs,
                              Real step = 1e-6);

}  // namespace nmfbench::ad
