#pragma once

// The one training loop every method trained on a split runs on: mini-batches from the
// training split, an optimiser of core/optim, optional gradient-norm clipping, evaluation on
// the validation split, early stopping with patience and the best weights restored, and a
// training log for the results.

#include <memory>

#include "core/optim/optimizers.hpp"
#include "methods/method.hpp"

namespace nmfbench {

struct TrainingOptions {
  // adam, adam_keras (Keras 2's eps placement), rprop, sgd (with momentum) or multiplicative (eq.
  // 10 of paper 001, from split gradients; learning_rate and clip do not apply)
  std::string optimizer = "adam";
  Real learning_rate = 1e-3;
  Real momentum = 0;   // sgd only
  Real clip = 0;       // gradient-norm clipping threshold; 0 clips nothing
  int steps = 0;       // optimiser steps on batches drawn with replacement
  int epochs = 0;      // when > 0: passes over the shuffled split instead of `steps`
  int batch = 10;      // examples per step
  int eval_every = 0;  // steps between validations; 0: once per epoch (every `batch`
                       // steps' worth of examples when training by steps)
  int patience = 0;    // validations without improvement before stopping; 0: never early
};

// The shared training parameters with a method's defaults, for its schema; the spec's
// `training` block fills in steps, epochs, patience and eval_every where a configuration
// leaves them out.
std::vector<ParameterSpec> training_parameters(const TrainingOptions& defaults);
TrainingOptions training_options(const ParameterValues& parameters);
std::unique_ptr<Optimizer> make_optimizer(const TrainingOptions& options);

// One example of a batch: its index in the split and the stream its random draws come from.
struct BatchItem {
  std::size_t index;
  RandomStream rng;
};

// The items of every evaluation on a validation split of `size` examples, from the training
// stream `rng`: they keep their streams from one evaluation to the next, so that evaluations
// differ only by the parameters.
std::vector<BatchItem> validation_items(const RandomStream& rng, std::size_t size);

// What the loop trains.
class Trainable {
 public:
  virtual ~Trainable() = default;
  virtual ParameterSet& parameters() = 0;
  // The mean loss over `batch`; with `gradient`, its gradient is left in parameters()' grads.
  virtual Real loss(const TrainingSet& data, const std::vector<BatchItem>& batch,
                    bool gradient) = 0;
  // Called after the parameters change (a step, the best weights restored).
  virtual void parameters_changed() {}
  // Fields added to each log entry (DeMUA's nu or beta).
  virtual Json describe() const { return Json::object(); }
};

// Trains `model` and returns the log: per step {"step", "loss", "grad_norm", "wall_s", ...},
// with "validation_loss" at each evaluation. When a validation split is given the parameters
// end at the evaluation with the lowest validation loss. `context.rng` drives every draw;
// `context.log` receives a line per step.
Json run_training(Trainable& model, const TrainingData& data, const TrainingOptions& options,
                  RunContext& context, const std::string& name);

}  // namespace nmfbench
