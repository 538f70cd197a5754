#include "methods/nae/separation.hpp"

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
  for (std::size_t l = 0; l < training_sources.size(); ++l) {
    if (context.cancelled()) return;
    learn(l, training_sources[l].abs(), context.rng.derive("fit/source" + std::to_string(l)));
  }
}

void SourceModels::run(Task task, const ComplexArray& mixture, RunContext& context) {
  if (task != Task::separate) throw Error("this method separates sources; it does not denoise");
  if (sources() == 0)
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
}

}  // namespace nmfbench::nae
