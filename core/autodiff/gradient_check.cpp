#include "core/autodiff/gradient_check.hpp"

#include <algorithm>
#include <cmath>

namespace nmfbench::ad {
namespace {

Real evaluate(const ScalarFunction& f, const std::vector<Array>& inputs) {
  Tape tape;
  std::vector<Var> vars;
  for (const auto& x : inputs) vars.push_back(tape.variable(x));
  return f(tape, vars).scalar();
}

}  // namespace

GradientCheck check_gradients(const ScalarFunction& f, const std::vector<Array>& inputs,
                              Real step) {
  Tape tape;
  std::vector<Var> vars;
  for (const auto& x : inputs) vars.push_back(tape.variable(x));
  tape.backward(f(tape, vars));

  GradientCheck result;
  std::vector<Array> probe = inputs;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const Array analytic = tape.grad(vars[i]);
    Array numeric(analytic.rows(), analytic.cols());
    for (Eigen::Index k = 0; k < inputs[i].size(); ++k) {
      const Real x = inputs[i].data()[k];
      const Real h = step * std::max<Real>(1, std::abs(x));
      probe[i].data()[k] = x + h;
      const Real up = evaluate(f, probe);
      probe[i].data()[k] = x - h;
      const Real down = evaluate(f, probe);
      probe[i].data()[k] = x;
      numeric.data()[k] = (up - down) / (2 * h);
    }
    const Real scale = std::max({numeric.abs().maxCoeff(), analytic.abs().maxCoeff(), Real(1e-12)});
    Eigen::Index r = 0, c = 0;
    const Real error = (analytic - numeric).abs().maxCoeff(&r, &c) / scale;
    if (error >= result.max_relative_error) {
      result.max_relative_error = error;
      result.worst = "input " + std::to_string(i) + " (" + std::to_string(r) + ", " +
                     std::to_string(c) + "): analytic " + std::to_string(analytic(r, c)) +
                     " vs numeric " + std::to_string(numeric(r, c));
    }
  }
  return result;
}

}  // namespace nmfbench::ad
