#pragma once

#include <vector>

#include "methods/method.hpp"

namespace nmfbench::drnmf {

// The estimates a speech mask gives: the speech mask o X and, separating, the noise
// (1 - mask) o X, both with the mixture's phase.
std::vector<ComplexArray> masked_sources(Task task, const ComplexArray& mixture, const Array& mask);

}  // namespace nmfbench::drnmf
