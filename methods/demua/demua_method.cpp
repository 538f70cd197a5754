#include "methods/demua/demua_method.hpp"

#include <tbb/parallel_for.h>

#include <cmath>
#include <sstream>

#include "core/optim/optimizers.hpp"
#include "methods/demua/learned_pdf.hpp"
#include "methods/demua/warm_start.hpp"

namespace nmfbench::demua {

DemuaMethod::DemuaMethod(const PhiOptions& phi, Eigen::Index components, const Unrolling& unrolling,
                         const TrainingOptions& training, int initialisations)
    : ModelNmfMethod(components, unrolling.stacks, unrolling.placement),
      phi_options_(phi),
      phi_(make_phi(phi)),
      model_(phi_->model()),
      unrolling_(unrolling),
      training_(training),
      initialisations_(initialisations) {}

Real DemuaMethod::loss(const TrainingSet& data, const std::vector<BatchItem>& batch,
                       bool gradient) {
  std::vector<LossAndGradient> items(batch.size());
  tbb::parallel_for(std::size_t{0}, batch.size(), [&](std::size_t b) {
    RandomStream rng = batch[b].rng;
    const std::size_t index = batch[b].index;
    // A fresh noise draw every step, one of a fixed set of starting points (paper 000, IV-A).
    const std::string start =
        "start/" + std::to_string(index) + "/" +
        std::to_string(rng.below(static_cast<std::uint64_t>(initialisations_)));
    const TrainingItem item = data.draw(index, rng);
    std::size_t stream = 0;
    const Initialiser init = [&](const Array& y, Array& w, Array& h) {
      random_start(y, w, h, training_rng_.derive(start + "/" + std::to_string(stream++)));
    };
    if (task_ == Task::denoise) {
      items[b] = denoise_loss(*phi_, *data.stft, item, unrolling_, init);
    } else {
      RandomStream activation_rng = training_rng_.derive(start + "/activations");
      items[b] = separation_loss(
          *phi_, *data.stft, item, unrolling_, init,
          [&](const Array& y, const Array& w) { return random_activations(y, w, activation_rng); });
    }
  });
  const auto size = static_cast<Real>(batch.size());
  Real mean = 0;
  if (gradient) phi_->parameters().zero_grads();
  for (const auto& item : items) {
    mean += item.loss / size;
    if (gradient) item.gradient.accumulate_into(phi_->parameters(), size);
  }
  return mean;
}

void DemuaMethod::train(Task task, const TrainingData& data, RunContext& context) {
  task_ = task;
  training_rng_ = context.rng;
  // The weights are the configuration's own: its training stream is keyed by it.
  if (auto* network = dynamic_cast<NetworkPhi*>(phi_.get()))
    warm_start(*network, phi_options_.network_start, phi_options_.nu, context.rng.derive("phi"));
  model_ = phi_->model();
  training_log_ = run_training(*this, data, training_, context, "DeMUA " + phi_->kind());
}

Json DemuaMethod::save_state() const {
  Json state = ModelNmfMethod::save_state();
  state["phi"] = {{"kind", phi_->kind()}, {"parameters", phi_->parameters().to_json()}};
  state["training_log"] = training_log_;
  return state;
}

void DemuaMethod::load_state(const Json& state) {
  if (!state.contains("phi") || !state["phi"].contains("parameters"))
    throw Error("DeMUA state: expected a field 'phi' with 'parameters'");
  const std::string kind = state["phi"].value("kind", "");
  if (kind != phi_->kind())
    throw Error("DeMUA state: Phi is '" + kind + "', the method is configured for '" +
                phi_->kind() + "'");
  const ParameterSet loaded = ParameterSet::from_json(state["phi"]["parameters"]);
  ParameterSet& parameters = phi_->parameters();
  for (const auto& name : parameters.names()) {
    if (!loaded.contains(name)) throw Error("DeMUA state: Phi parameter '" + name + "' is missing");
    const Array& value = loaded.value(name);
    if (value.rows() != parameters.value(name).rows() ||
        value.cols() != parameters.value(name).cols())
      throw Error("DeMUA state: Phi parameter '" + name + "' has the wrong shape");
    parameters.value(name) = value;
  }
  model_ = phi_->model();
  if (state.contains("bases")) ModelNmfMethod::load_state(state);
  training_log_ = state.value("training_log", Json::array());
}

Json DemuaMethod::summary() const {
  return {{"phi", phi_->kind()},
          {"parameters", phi_->describe()},
          {"learned_pdf", learned_pdf(*phi_, default_pdf_magnitudes()).to_json()},
          {"training_log", training_log_}};
}

}  // namespace nmfbench::demua
