#pragma once

#include <vector>

#include "methods/method.hpp"
#include "methods/training_loop.hpp"

namespace nmfbench::drnmf {

// The estimates a speech mask gives: the speech mask o X and, separating, the noise
// (1 - mask) o X, both with the mixture's phase.
std::vector<ComplexArray> masked_sources(Task task, const ComplexArray& mixture, const Array& mask);

// An example's magnitudes, F x T: the mixture's |X| and its first reference's (the speech) |Y|.
struct MagnitudePair {
  Array mixture, speech;
};
MagnitudePair item_magnitudes(const TrainingSet& set, const BatchItem& item);

}  // namespace nmfbench::drnmf
