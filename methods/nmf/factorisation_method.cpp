#include "methods/nmf/factorisation_method.hpp"

#include "core/indexed_name.hpp"
#include "core/optim/parameters.hpp"
#include "methods/nmf/complex_nmf.hpp"

namespace nmfbench::nmf {

void run_checkpoints(const RunContext& context, const std::function<void()>& step,
                     const std::function<void(int)>& report) {
  if (context.checkpoints.empty())
    throw Error("no checkpoints requested: nothing would be reported");
  int done = 0;
  for (int checkpoint : context.checkpoints) {
    if (checkpoint < done)
      throw Error("checkpoints must be ascending, got " + std::to_string(checkpoint) + " after " +
                  std::to_string(done));
    for (; done < checkpoint; ++done) {
      if (context.cancelled()) return;
      step();
    }
    report(checkpoint);
  }
}

void FactorisationMethod::report_factors(const RunContext& context, const Array& w,
                                         const Array& h) const {
  if (context.factors && !context.cancelled()) context.factors(model_bases(w), h);
}

FactorisationMethod::FactorisationMethod(Eigen::Index components, int train_iterations,
                                         Real exponent)
    : components_(components), train_iterations_(train_iterations), exponent_(exponent) {}

Array FactorisationMethod::random_activations(const Array& v, const Array& w,
                                              RandomStream& rng) const {
  Array h = rng.uniform_array(w.cols(), v.cols(), 0.1, 1);
  h *= std::max(v.mean(), kFloor) / (model_bases(w).matrix() * h.matrix()).mean();
  return h;
}

void FactorisationMethod::random_start(const Array& v, Array& w, Array& h, RandomStream rng) const {
  w = rng.uniform_array(v.rows(), components_, 0.1, 1);
  normalize_bases(w);
  h = random_activations(v, w, rng);
}

void FactorisationMethod::fit(const std::vector<ComplexArray>& training_sources,
                              RunContext& context) {
  source_bases_.clear();
  for (std::size_t l = 0; l < training_sources.size(); ++l) {
    const Array v = training_sources[l].abs().pow(exponent_);
    Array w, h;
    random_start(v, w, h, context.rng.derive(indexed("fit/source", l)));
    for (int t = 0; t < train_iterations_ && !context.cancelled(); ++t) iterate(v, w, h);
    if (!all_finite(w))
      throw Error("fit: the bases of source " + std::to_string(l) +
                  " are not finite after training (the model diverged)");
    source_bases_.push_back(std::move(w));
  }
}

void FactorisationMethod::run(Task task, const ComplexArray& mixture, RunContext& context) {
  if (task == Task::denoise) {
    denoise(mixture, context);
  } else {
    separate(mixture, context);
  }
}

void FactorisationMethod::denoise(const ComplexArray& mixture, RunContext& context) {
  const Array v = mixture.abs().pow(exponent_);
  Array w, h;
  random_start(v, w, h, context.rng.derive("init"));
  run_checkpoints(
      context, [&] { iterate(v, w, h); },
      [&](int t) {
        const Array vhat = (model_bases(w).matrix() * h.matrix()).array();
        // Eq. (15): the magnitude of the model, the phase of the observation.
        const Array gain = (vhat / v.max(kFloor)).pow(1 / exponent_);
        context.report(t, {mixture * gain.cast<Complex>()});
      });
  report_factors(context, w, h);
}

void FactorisationMethod::separate(const ComplexArray& mixture, RunContext& context) {
  if (source_bases_.empty())
    throw Error("separate: the method has no trained bases; fit() it on training audio first");
  const Array v = mixture.abs().pow(exponent_);
  Array w(v.rows(), components_ * static_cast<Eigen::Index>(source_bases_.size()));
  for (std::size_t l = 0; l < source_bases_.size(); ++l) {
    if (source_bases_[l].rows() != v.rows()) {
      throw Error("separate: bases have " + std::to_string(source_bases_[l].rows()) +
                  " bins, the mixture " + std::to_string(v.rows()));
    }
    w.middleCols(static_cast<Eigen::Index>(l) * components_, components_) = source_bases_[l];
  }
  RandomStream rng = context.rng.derive("init");
  Array h = random_activations(v, w, rng);
  run_checkpoints(
      context, [&] { iterate_h(v, w, h); },
      [&](int t) {
        const Array bases = model_bases(w);
        const Array total = (bases.matrix() * h.matrix()).array().max(kFloor);
        std::vector<ComplexArray> sources;
        for (std::size_t l = 0; l < source_bases_.size(); ++l) {
          const auto cols = static_cast<Eigen::Index>(l) * components_;
          const Array part = (bases.middleCols(cols, components_).matrix() *
                              h.middleRows(cols, components_).matrix())
                                 .array();
          sources.push_back(mixture * (part / total).cast<Complex>());  // eq. (17)
        }
        context.report(t, sources);
      });
  report_factors(context, w, h);
}

Json FactorisationMethod::save_state() const {
  ParameterSet bases;
  for (std::size_t l = 0; l < source_bases_.size(); ++l)
    bases.add(indexed("W", l), source_bases_[l]);
  return {{"bases", bases.to_json()}};
}

void FactorisationMethod::load_state(const Json& state) {
  if (!state.contains("bases")) throw Error("NMF state: expected a field 'bases'");
  const ParameterSet bases = ParameterSet::from_json(state["bases"]);
  source_bases_.clear();
  for (const auto& name : bases.names()) {
    if (bases.value(name).cols() != components_) {
      throw Error("NMF state: " + name + " has " + std::to_string(bases.value(name).cols()) +
                  " components, the method is configured for " + std::to_string(components_));
    }
    source_bases_.push_back(bases.value(name));
  }
}

}  // namespace nmfbench::nmf
