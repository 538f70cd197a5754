#include "methods/nae/separation.hpp"

#include "core/optim/parameters.hpp"
#include "methods/nmf/factorisation_method.hpp"

namespace nmfbench::nae {

std::vector<ComplexArray> masked_sources(const ComplexArray& mixture,
                                         const std::vector<Array>& estimates) {
  Array total = estimates.front();
  for (std::size_t k = 1; k < estimates.size(); ++k) total += estimates[k];
  // A bin that every model leaves at exactly 0 (possible with relu) is shared equally.
  const Real share = 1 / static_cast<Real>(estimates.size());
  std::vector<ComplexArray> sources;
  for (const auto& part : estimates)
    sources.push_back(mixture * (total > 0).select(part / total, share).cast<Complex>());
  return sources;
}

void SourceModels::fit(const std::vector<ComplexArray>& training_sources, RunContext& context) {
  models_.clear();
  for (std::size_t l = 0; l < training_sources.size(); ++l) {
    if (context.cancelled()) return;
    std::vector<Array> model =
        learn(training_sources[l].abs(), context.rng.derive("fit/source" + std::to_string(l)));
    for (const auto& a : model)
      if (!all_finite(a))
        throw Error("fit: the model of source " + std::to_string(l) +
                    " is not finite after training (it diverged)");
    models_.push_back(std::move(model));
  }
}

Json SourceModels::save_state() const {
  Json sources = Json::array();
  for (const auto& model : models_) {
    ParameterSet set;
    for (std::size_t i = 0; i < model.size(); ++i) {
      std::string name = "W";  // appended: GCC 12 warns on "literal" + std::string (bug 105329)
      set.add(name += std::to_string(i), model[i]);
    }
    sources.push_back(set.to_json());
  }
  return {{"sources", sources}};
}

void SourceModels::load_state(const Json& state) {
  if (!state.contains("sources") || !state["sources"].is_array())
    throw Error(what_ + " state: expected an array 'sources'");
  std::vector<std::vector<Array>> models;
  for (const auto& source : state["sources"]) {
    const ParameterSet set = ParameterSet::from_json(source);
    if (set.names().size() != arrays_)
      throw Error(what_ + " state: a source has " + std::to_string(set.names().size()) +
                  " arrays, the configuration " + std::to_string(arrays_));
    std::vector<Array> model;
    for (const auto& name : set.names()) model.push_back(set.value(name));
    models.push_back(std::move(model));
  }
  models_ = std::move(models);
}

void SourceModels::run(Task task, const ComplexArray& mixture, RunContext& context) {
  if (task != Task::separate) throw Error("this method separates sources; it does not denoise");
  if (models_.empty())
    throw Error(
        "separate: the method has no trained source models; fit() it on training "
        "audio first");
  start(mixture.abs(), context.rng.derive("init"));
  nmf::run_checkpoints(
      context, [&] { step(); },
      [&](int t) {
        const std::vector<Array> parts = estimates();
        for (const auto& p : parts)
          if (!all_finite(p))
            throw Error("separate: the model is not finite at iteration " + std::to_string(t));
        context.report(t, masked_sources(mixture, parts));
      });
  if (context.factors && !context.cancelled()) {
    const auto [bases, activations] = factors();
    context.factors(bases, activations);
  }
}

}  // namespace nmfbench::nae
