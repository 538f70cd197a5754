#include "methods/demua/warm_start.hpp"

#include <Eigen/Cholesky>
#include <cmath>

namespace nmfbench::demua {
namespace {

using Matrix = Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic>;
using Vector = Eigen::Matrix<Real, Eigen::Dynamic, 1>;

// Where the ratios of spectrogram bins fall in the updates, with a margin; the fit holds there
// to kTolerance. Beyond it, to the ends of the spline (phi.cpp), rare ratios still occur (a loud
// bin the estimate has not reached yet, or a silent one), and the network must not wander off:
// an extrapolated Phi of some hundreds overflows zeta. The fit holds there to kOuterTolerance.
constexpr Real kLowest = -25, kHighest = 12, kEnd = NetworkPhi::kSplineEnd, kSpacing = 1.0 / 8;
constexpr Real kTolerance = 1e-3, kOuterTolerance = 0.5;
// A fit that has not converged by then is stuck in a local minimum: successful fits take about
// 100 iterations.
constexpr int kIterations = 400, kAttempts = 8;

// The parameters as one vector, in the order of names(), and back.
Vector flatten(const ParameterSet& p) {
  Eigen::Index size = 0;
  for (const auto& name : p.names()) size += p.value(name).size();
  Vector v(size);
  Eigen::Index at = 0;
  for (const auto& name : p.names()) {
    const Array& value = p.value(name);
    v.segment(at, value.size()) = value.reshaped().matrix();
    at += value.size();
  }
  return v;
}

void unflatten(const Vector& v, ParameterSet& p) {
  Eigen::Index at = 0;
  for (const auto& name : p.names()) {
    Array& value = p.value(name);
    value.reshaped() = v.segment(at, value.size()).array();
    at += value.size();
  }
}

// Row i: d Phi(x_i) / d theta.
Matrix jacobian(const NetworkPhi& network, const Signal& x, Eigen::Index parameters) {
  Matrix j(x.size(), parameters);
  const Signal one = Signal::Ones(1);
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    PhiGradient g = network.zero_gradient();
    network.exact_backward(x.segment(i, 1), one, g);
    Eigen::Index at = 0;
    for (const Array& part : g.theta) {
      j.row(i).segment(at, part.size()) = part.reshaped().matrix().transpose();
      at += part.size();
    }
  }
  return j;
}

}  // namespace

WarmStartGrid warm_start_grid() {
  const auto n = static_cast<Eigen::Index>(2 * kEnd / kSpacing) + 1;
  WarmStartGrid grid{Signal::LinSpaced(n, -kEnd, kEnd), Signal(n)};
  grid.tolerance =
      (grid.x >= kLowest && grid.x <= kHighest)
          .select(Signal::Constant(n, kTolerance), Signal::Constant(n, kOuterTolerance));
  return grid;
}

Real fit_network(NetworkPhi& network, const WarmStartGrid& grid, const Signal& target) {
  ParameterSet& p = network.parameters();
  Vector theta = flatten(p);
  // Each residual in units of its tolerance: the fit succeeds when all are below 1. (A Signal,
  // not an expression, which would refer to the network's output after it is gone.)
  const auto scaled_residual = [&]() -> Signal {
    return (network.exact_phi(grid.x) - target) / grid.tolerance;
  };
  Signal residual = scaled_residual();
  Real cost = residual.square().sum();
  Real damping = 1e-3;
  for (int iteration = 0; iteration < kIterations && residual.abs().maxCoeff() >= 0.5;
       ++iteration) {
    const Matrix j =
        grid.tolerance.inverse().matrix().asDiagonal() * jacobian(network, grid.x, theta.size());
    Matrix normal = Matrix::Zero(theta.size(), theta.size());
    normal.selfadjointView<Eigen::Lower>().rankUpdate(j.transpose());
    const Vector slope = j.transpose() * residual.matrix();
    // Marquardt's scaling, with a floor for parameters the grid barely moves.
    const Vector scale = normal.diagonal().array().max(1e-9).matrix();
    bool improved = false;
    while (!improved && damping < 1e12) {
      Matrix damped = normal;
      damped.diagonal() += damping * scale;
      const Vector candidate = theta - damped.selfadjointView<Eigen::Lower>().ldlt().solve(slope);
      unflatten(candidate, p);
      const Signal r = scaled_residual();
      const Real c = r.square().sum();
      if (std::isfinite(c) && c < cost) {
        theta = candidate, residual = r, cost = c;
        damping = std::max(damping / 3, 1e-12);
        improved = true;
      } else {
        damping *= 4;
      }
    }
    unflatten(theta, p);
    if (!improved) break;
  }
  return residual.abs().maxCoeff();
}

void warm_start(NetworkPhi& network, const std::string& start, Real nu, const RandomStream& rng) {
  network.initialise(rng);
  if (start == "random") return;
  const WarmStartGrid grid = warm_start_grid();
  Signal target = Signal::Zero(grid.x.size());
  if (start == "t")
    target = StudentTPhi(nu).zeta(grid.x.exp()).log();
  else if (start != "gaussian")
    throw Error("demua.nn_init: got '" + start + "', expected random, t or gaussian");
  Real error = fit_network(network, grid, target);
  for (int attempt = 1; attempt < kAttempts && !(error < 1); ++attempt) {
    network.initialise(rng.derive("attempt" + std::to_string(attempt)));
    error = fit_network(network, grid, target);
  }
  if (!(error < 1))
    throw Error("demua.nn_init " + start + ": after " + std::to_string(kAttempts) +
                " starts the network misses the target Phi by " + std::to_string(error) +
                " times the tolerance (" + std::to_string(kTolerance) + " for log r in [" +
                std::to_string(kLowest) + ", " + std::to_string(kHighest) + "], " +
                std::to_string(kOuterTolerance) + " beyond)");
}

}  // namespace nmfbench::demua
