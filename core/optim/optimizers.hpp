#pragma once

#include <map>
#include <memory>
#include <string>

#include "core/optim/parameters.hpp"

namespace nmfbench {

// Updates a ParameterSet from the gradients stored in it. Each follows PyTorch's update
// formula and defaults (torch.optim, 1.13), so hyper-parameters from papers carry over.
class Optimizer {
 public:
  virtual ~Optimizer() = default;
  virtual void step(ParameterSet& parameters) = 0;
};

struct AdamOptions {
  Real lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0;
  // Keras 2's form, eps added to the uncorrected sqrt(v) (paper 003's models were trained so):
  // p -= lr sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + eps).
  bool keras = false;
};
// Bias-corrected Adam: p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps).
class Adam : public Optimizer {
 public:
  explicit Adam(AdamOptions options = {}) : options_(options) {}
  void step(ParameterSet& parameters) override;

 private:
  AdamOptions options_;
  long steps_ = 0;
  std::map<std::string, Array> m_, v_;
};

struct RpropOptions {
  Real lr = 1e-2, eta_minus = 0.5, eta_plus = 1.2, step_min = 1e-6, step_max = 50;
};
// iRprop- (torch.optim.Rprop): per-element step sizes grow by eta_plus while the gradient's
// sign holds and shrink by eta_minus when it flips, in which case that element does not move.
class Rprop : public Optimizer {
 public:
  explicit Rprop(RpropOptions options = {}) : options_(options) {}
  void step(ParameterSet& parameters) override;

 private:
  RpropOptions options_;
  std::map<std::string, Array> previous_, step_size_;
};

struct SgdOptions {
  Real lr = 1e-2, momentum = 0, dampening = 0, weight_decay = 0;
  bool nesterov = false;
};
// SGD with momentum: b = momentum b + (1 - dampening) g (b = g on the first step);
// p -= lr * (nesterov ? g + momentum b : b).
class Sgd : public Optimizer {
 public:
  explicit Sgd(SgdOptions options) : options_(options) {}
  void step(ParameterSet& parameters) override;

 private:
  SgdOptions options_;
  std::map<std::string, Array> buffer_;
};

// Multiplicative update of non-negative parameters (paper 001, eq. 10):
// p <- p * [grad]- / max([grad]+, floor), from each parameter's split gradient
// (ParameterSet::set_split_grad); non-negativity is kept without projection. A parameter
// without a split gradient is an Error naming it.
class Multiplicative : public Optimizer {
 public:
  explicit Multiplicative(Real floor = 1e-9) : floor_(floor) {}
  void step(ParameterSet& parameters) override;

 private:
  Real floor_;
};

// torch.nn.utils.clip_grad_norm_: scales all gradients by max_norm / (norm + 1e-6) when the
// global 2-norm exceeds max_norm. Returns the norm before clipping.
Real clip_grad_norm(ParameterSet& parameters, Real max_norm);

}  // namespace nmfbench
