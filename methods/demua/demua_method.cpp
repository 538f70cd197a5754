#include "methods/demua/demua_method.hpp"

#include <tbb/parallel_for.h>

#include <cmath>
#include <sstream>

#include "core/optim/optimizers.hpp"
#include "methods/demua/learned_pdf.hpp"

namespace nmfbench::demua {

DemuaMethod::DemuaMethod(std::unique_ptr<Phi> phi, Eigen::Index components,
                         const Unrolling& unrolling, const TrainingOptions& training)
    : ModelNmfMethod(components, unrolling.stacks, unrolling.placement),
      phi_(std::move(phi)),
      model_(phi_->model()),
      unrolling_(unrolling),
      training_(training) {}

LossAndGradient DemuaMethod::batch_loss(Task task, const TrainingSet& data,
                                        const RandomStream& training_rng, int step) {
  const RandomStream step_rng = training_rng.derive("step" + std::to_string(step));
  const auto batch = static_cast<std::size_t>(training_.batch);
  std::vector<LossAndGradient> items(batch);
  tbb::parallel_for(std::size_t{0}, batch, [&](std::size_t b) {
    RandomStream rng = step_rng.derive("item" + std::to_string(b));
    const std::size_t index = rng.below(data.size);
    // A fresh noise draw every step, one of a fixed set of starting points (paper 000, IV-A).
    const std::string start =
        "start/" + std::to_string(index) + "/" +
        std::to_string(rng.below(static_cast<std::uint64_t>(training_.initialisations)));
    const TrainingItem item = data.draw(index, rng);
    std::size_t stream = 0;
    const Initialiser init = [&](const Array& y, Array& w, Array& h) {
      random_start(y, w, h, training_rng.derive(start + "/" + std::to_string(stream++)));
    };
    if (task == Task::denoise) {
      items[b] = denoise_loss(*phi_, *data.stft, item, unrolling_, init);
    } else {
      RandomStream activation_rng = training_rng.derive(start + "/activations");
      items[b] = separation_loss(
          *phi_, *data.stft, item, unrolling_, init,
          [&](const Array& y, const Array& w) { return random_activations(y, w, activation_rng); });
    }
  });
  LossAndGradient mean{0, phi_->zero_gradient()};
  for (const auto& item : items) {
    mean.loss += item.loss / static_cast<Real>(batch);
    for (std::size_t p = 0; p < mean.gradient.size(); ++p)
      mean.gradient[p] += item.gradient[p] / static_cast<Real>(batch);
  }
  return mean;
}

void DemuaMethod::train(Task task, const TrainingSet& data, RunContext& context) {
  if (data.size == 0) throw Error("DeMUA: the training split has no examples");
  Adam adam({.lr = training_.learning_rate});
  ParameterSet& parameters = phi_->parameters();
  training_log_ = Json::array();
  for (int step = 1; step <= training_.steps && !context.cancelled(); ++step) {
    const LossAndGradient batch = batch_loss(task, data, context.rng, step);
    if (!std::isfinite(batch.loss))
      throw Error("DeMUA training: the loss is not finite at step " + std::to_string(step));
    for (std::size_t p = 0; p < batch.gradient.size(); ++p)
      parameters.grad(parameters.names()[p]) = batch.gradient[p];
    const Real norm = clip_grad_norm(parameters, training_.clip);
    adam.step(parameters);
    model_ = phi_->model();
    training_log_.push_back(
        {{"step", step}, {"loss", batch.loss}, {"grad_norm", norm}, {"phi", phi_->describe()}});
    if (context.log) {
      std::ostringstream line;
      line << "DeMUA " << phi_->kind() << " step " << step << "/" << training_.steps << " loss "
           << batch.loss << " |grad| " << norm << " " << phi_->describe().dump();
      context.log(line.str());
    }
  }
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
