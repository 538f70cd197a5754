#include "core/optim/optimizers.hpp"

#include <algorithm>
#include <cmath>

#include "core/parts.hpp"

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
  const RpropOptions o = options_;
  for (const auto& name : parameters.names()) {
    Real* p = parameters.value(name).data();
    const Real* g = parameters.grad(name).data();
    Real* previous = state(previous_, name, parameters.value(name)).data();
    Real* step = state(step_size_, name, parameters.value(name), o.lr).data();
    // One pass per chunk, which the compiler vectorises (the separate selects of an Eigen
    // expression run one element at a time); the fit's activations are 10^5 values.
    for_each_chunk(parameters.value(name).size(), [&](Eigen::Index first, Eigen::Index size) {
      for (Eigen::Index i = first; i < first + size; ++i) {
        const Real agreement = g[i] * previous[i];
        Real s = step[i];
        Real gi = g[i];
        if (agreement > 0) {
          s *= o.eta_plus;
        } else if (agreement < 0) {
          s *= o.eta_minus;
          gi = 0;  // a sign change: no move now, and no agreement test next step
        }
        s = std::min(std::max(s, o.step_min), o.step_max);
        p[i] -= gi > 0 ? s : (gi < 0 ? -s : Real(0));
        step[i] = s;
        previous[i] = gi;
      }
    });
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
