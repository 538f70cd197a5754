#include "core/optim/optimizers.hpp"

#include <cmath>

namespace nmfbench {
namespace {

// The state array of `name`, created as zeros shaped like `like` on first use.
Array& state(std::map<std::string, Array>& table, const std::string& name, const Array& like,
             Real init = 0) {
  auto it = table.find(name);
  if (it == table.end())
    it = table.emplace(name, Array::Constant(like.rows(), like.cols(), init)).first;
  return it->second;
}

}  // namespace

void Adam::step(ParameterSet& parameters) {
  ++steps_;
  const Real bias1 = 1 - std::pow(options_.beta1, static_cast<Real>(steps_));
  const Real bias2 = 1 - std::pow(options_.beta2, static_cast<Real>(steps_));
  for (const auto& name : parameters.names()) {
    Array& p = parameters.value(name);
    const Array g = parameters.grad(name) + options_.weight_decay * p;
    Array& m = state(m_, name, p);
    Array& v = state(v_, name, p);
    m = options_.beta1 * m + (1 - options_.beta1) * g;
    v = options_.beta2 * v + (1 - options_.beta2) * g.square();
    if (options_.keras) {
      p -= (options_.lr * std::sqrt(bias2) / bias1) * m / (v.sqrt() + options_.eps);
    } else {
      p -= (options_.lr / bias1) * m / (v.sqrt() / std::sqrt(bias2) + options_.eps);
    }
  }
}

void Rprop::step(ParameterSet& parameters) {
  for (const auto& name : parameters.names()) {
    Array& p = parameters.value(name);
    Array g = parameters.grad(name);
    Array& previous = state(previous_, name, p);
    Array& step = state(step_size_, name, p, options_.lr);
    const Array agreement = (g * previous).sign();
    step = (agreement > 0)
               .select(step * options_.eta_plus,
                       (agreement < 0).select(step * options_.eta_minus, step));
    step = step.max(options_.step_min).min(options_.step_max);
    g = (agreement < 0).select(Real(0), g);
    p -= g.sign() * step;
    previous = g;
  }
}

void Sgd::step(ParameterSet& parameters) {
  for (const auto& name : parameters.names()) {
    Array& p = parameters.value(name);
    Array g = parameters.grad(name) + options_.weight_decay * p;
    if (options_.momentum != 0) {
      auto it = buffer_.find(name);
      if (it == buffer_.end()) {
        it = buffer_.emplace(name, g).first;
      } else {
        it->second = options_.momentum * it->second + (1 - options_.dampening) * g;
      }
      g = options_.nesterov ? Array(g + options_.momentum * it->second) : it->second;
    }
    p -= options_.lr * g;
  }
}

void Multiplicative::step(ParameterSet& parameters) {
  for (const auto& name : parameters.names()) {
    parameters.value(name) *=
        parameters.grad_negative(name) / parameters.grad_positive(name).max(floor_);
  }
}

Real clip_grad_norm(ParameterSet& parameters, Real max_norm) {
  Real squared = 0;
  for (const auto& name : parameters.names()) squared += parameters.grad(name).square().sum();
  const Real norm = std::sqrt(squared);
  const Real coefficient = max_norm / (norm + 1e-6);
  if (coefficient < 1) {
    for (const auto& name : parameters.names()) parameters.grad(name) *= coefficient;
  }
  return norm;
}

}  // namespace nmfbench
