#pragma once

#include <optional>
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

// The loss on the validation split a model keeps in its state and model summary (paper 003
// Table 1's dev loss), when it has one.
void put_validation_loss(Json& to, const std::optional<Real>& loss);
std::optional<Real> validation_loss_of(const Json& state);

}  // namespace nmfbench::drnmf
