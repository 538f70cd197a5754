#include "methods/training_loop.hpp"

#include <chrono>
#include <cmath>
#include <numeric>
#include <sstream>

namespace nmfbench {
namespace {

// Batches by steps: each item drawn with replacement from the step's own stream, so a step's
// batch does not depend on the batch size of other steps or on thread order.
std::vector<BatchItem> drawn_batch(const RandomStream& rng, int step, std::size_t size, int batch) {
  const RandomStream step_rng = rng.derive("step" + std::to_string(step));
  std::vector<BatchItem> items;
  for (int b = 0; b < batch; ++b) {
    RandomStream item = step_rng.derive("item" + std::to_string(b));
    const std::size_t index = item.below(size);
    items.push_back({index, item});
  }
  return items;
}

// One epoch's order of the split, a Fisher-Yates shuffle from the epoch's stream.
std::vector<std::size_t> epoch_order(const RandomStream& rng, int epoch, std::size_t size) {
  RandomStream shuffle = rng.derive("epoch" + std::to_string(epoch));
  std::vector<std::size_t> order(size);
  std::iota(order.begin(), order.end(), std::size_t{0});
  for (std::size_t i = size; i > 1; --i) std::swap(order[i - 1], order[shuffle.below(i)]);
  return order;
}

Real gradient_norm(ParameterSet& parameters) {
  Real squared = 0;
  for (const auto& name : parameters.names()) squared += parameters.grad(name).square().sum();
  return std::sqrt(squared);
}

}  // namespace

std::vector<BatchItem> validation_items(const RandomStream& rng, std::size_t size) {
  const RandomStream base = rng.derive("validation");
  std::vector<BatchItem> items;
  for (std::size_t i = 0; i < size; ++i)
    items.push_back({i, base.derive("item" + std::to_string(i))});
  return items;
}

std::vector<ParameterSpec> training_parameters(const TrainingOptions& d) {
  return {
      choice_parameter("optimizer", d.optimizer,
                       {"adam", "adam_keras", "rprop", "sgd", "multiplicative"},
                       "optimiser of the training loop (PyTorch's formulas and defaults; "
                       "adam_keras: Keras 2's Adam, eps outside the bias correction; "
                       "multiplicative: W * [grad]- / [grad]+, paper 001 eq. 10)"),
      real_parameter("learning_rate", d.learning_rate, 1e-12, 10, "the optimiser's learning rate"),
      real_parameter("momentum", d.momentum, 0, 1, "sgd: momentum"),
      real_parameter("clip", d.clip, 0, 1e12, "gradient-norm clipping threshold; 0: none"),
      integer_parameter("train_steps", d.steps, 0, 1000000,
                        "optimiser steps on batches drawn from the training split; 0 with "
                        "epochs 0 leaves the initial weights"),
      integer_parameter("epochs", d.epochs, 0, 100000,
                        "passes over the shuffled training split (replaces train_steps)"),
      integer_parameter("batch_size", d.batch, 1, 100000, "examples per training step"),
      integer_parameter("eval_every", d.eval_every, 0, 1000000,
                        "steps between validations; 0: once per epoch"),
      integer_parameter("patience", d.patience, 0, 1000000,
                        "validations without improvement before training stops; 0: never "
                        "early"),
  };
}

TrainingOptions training_options(const ParameterValues& p) {
  TrainingOptions o;
  o.optimizer = p.choice("optimizer");
  o.learning_rate = p.real("learning_rate");
  o.momentum = p.real("momentum");
  o.clip = p.real("clip");
  o.steps = static_cast<int>(p.integer("train_steps"));
  o.epochs = static_cast<int>(p.integer("epochs"));
  o.batch = static_cast<int>(p.integer("batch_size"));
  o.eval_every = static_cast<int>(p.integer("eval_every"));
  o.patience = static_cast<int>(p.integer("patience"));
  return o;
}

std::unique_ptr<Optimizer> make_optimizer(const TrainingOptions& o) {
  if (o.optimizer == "adam" || o.optimizer == "adam_keras")
    return std::make_unique<Adam>(
        AdamOptions{.lr = o.learning_rate, .keras = o.optimizer == "adam_keras"});
  if (o.optimizer == "rprop") return std::make_unique<Rprop>(RpropOptions{.lr = o.learning_rate});
  if (o.optimizer == "sgd")
    return std::make_unique<Sgd>(SgdOptions{.lr = o.learning_rate, .momentum = o.momentum});
  if (o.optimizer == "multiplicative") return std::make_unique<Multiplicative>();
  throw Error("optimizer '" + o.optimizer +
              "': expected adam, adam_keras, rprop, sgd or multiplicative");
}

Json run_training(Trainable& model, const TrainingData& data, const TrainingOptions& options,
                  RunContext& context, const std::string& name) {
  if (options.epochs > 0 && options.steps > 0)
    throw Error(name + ": train_steps " + std::to_string(options.steps) + " and epochs " +
                std::to_string(options.epochs) + ": give one length of training, not both");
  const bool any_steps = options.epochs > 0 || options.steps > 0;
  if (any_steps && data.train.size == 0) throw Error(name + ": the training split has no examples");
  const auto start = std::chrono::steady_clock::now();
  const auto batch = static_cast<std::size_t>(options.batch);
  const std::size_t steps_per_epoch =
      (data.train.size + batch - 1) / std::max<std::size_t>(batch, 1);
  const long total =
      options.epochs > 0 ? static_cast<long>(steps_per_epoch) * options.epochs : options.steps;
  const long eval_every = options.eval_every > 0
                              ? options.eval_every
                              : static_cast<long>(std::max<std::size_t>(steps_per_epoch, 1));
  const std::vector<BatchItem> validation = validation_items(context.rng, data.validation.size);
  std::unique_ptr<Optimizer> optimizer = make_optimizer(options);
  ParameterSet& parameters = model.parameters();

  Json log = Json::array();
  Real best = std::numeric_limits<Real>::infinity();
  std::vector<Array> best_values;
  int without_improvement = 0;
  std::vector<std::size_t> order;
  for (long step = 1; step <= total && !context.cancelled(); ++step) {
    std::vector<BatchItem> items;
    if (options.epochs > 0) {
      const long epoch = (step - 1) / static_cast<long>(steps_per_epoch);
      const std::size_t first = static_cast<std::size_t>(step - 1) % steps_per_epoch * batch;
      if (first == 0) order = epoch_order(context.rng, static_cast<int>(epoch), data.train.size);
      const RandomStream step_rng = context.rng.derive("step" + std::to_string(step));
      for (std::size_t b = first; b < std::min(first + batch, order.size()); ++b)
        items.push_back({order[b], step_rng.derive("item" + std::to_string(b - first))});
    } else {
      items = drawn_batch(context.rng, static_cast<int>(step), data.train.size, options.batch);
    }
    const Real loss = model.loss(data.train, items, true);
    if (!std::isfinite(loss))
      throw Error(name + " training: the loss is not finite at step " + std::to_string(step));
    const Real norm =
        options.clip > 0 ? clip_grad_norm(parameters, options.clip) : gradient_norm(parameters);
    optimizer->step(parameters);
    model.parameters_changed();
    Json entry = {{"step", step}, {"loss", loss}, {"grad_norm", norm}};
    entry.update(model.describe());
    std::ostringstream line;
    line << name << " step " << step << "/" << total << " loss " << loss << " |grad| " << norm;
    bool stop = false;
    if (data.validation.size > 0 && (step % eval_every == 0 || step == total)) {
      const Real value = model.loss(data.validation, validation, false);
      if (!std::isfinite(value))
        throw Error(name + " training: the validation loss is not finite at step " +
                    std::to_string(step));
      entry["validation_loss"] = value;
      line << " validation " << value;
      if (value < best) {
        best = value;
        best_values.clear();
        for (const auto& n : parameters.names()) best_values.push_back(parameters.value(n));
        without_improvement = 0;
      } else if (options.patience > 0 && ++without_improvement >= options.patience) {
        line << " (no improvement in " << options.patience << " validations: stopping)";
        stop = true;
      }
    }
    entry["wall_s"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    log.push_back(std::move(entry));
    if (!model.describe().empty()) line << " " << model.describe().dump();
    if (context.log) context.log(line.str());
    if (stop) break;
  }
  if (!best_values.empty()) {
    for (std::size_t p = 0; p < best_values.size(); ++p)
      parameters.value(parameters.names()[p]) = best_values[p];
    model.parameters_changed();
  }
  return log;
}

}  // namespace nmfbench
