#include "methods/drnmf/sources.hpp"

namespace nmfbench::drnmf {

std::vector<ComplexArray> masked_sources(Task task, const ComplexArray& mixture,
                                         const Array& mask) {
  std::vector<ComplexArray> sources = {mixture * mask.cast<Complex>()};
  if (task == Task::separate) sources.push_back(mixture * (1 - mask).cast<Complex>());
  return sources;
}

MagnitudePair item_magnitudes(const TrainingSet& set, const BatchItem& item) {
  RandomStream rng = item.rng;
  const TrainingItem drawn = set.draw(item.index, rng);
  return {set.stft->forward(drawn.mixture).abs(), set.stft->forward(drawn.references.at(0)).abs()};
}

void put_validation_loss(Json& to, const std::optional<Real>& loss) {
  if (loss) to["validation_loss"] = *loss;
}

std::optional<Real> validation_loss_of(const Json& state) {
  if (!state.contains("validation_loss") || !state["validation_loss"].is_number()) return {};
  return state["validation_loss"].get<Real>();
}

}  // namespace nmfbench::drnmf
