#pragma once

// The function Phi of DeMUA (paper 000, sec. III-B): zeta = exp(Phi(r)) with r = y / yhat
// (eq. 12) is all the multiplicative updates of eqs. (6) and (7) know of the statistical
// model. The classic models fix Phi; DeMUA trains its parameters theta.
//
// Every Phi works on whole arrays (the updates evaluate it at every time-frequency bin) and
// gives the derivatives back-propagation needs: d zeta / d r and the vector-Jacobian product
// with respect to theta.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/optim/parameters.hpp"
#include "core/random.hpp"
#include "methods/nmf/statistical_model.hpp"

namespace nmfbench::demua {

// d loss / d theta as one pass gathers it: `theta` in the order of parameters().names(), and
// for the network, d loss / d Phi at its spline's grid nodes, which finish_gradient()
// propagates through the network into `theta` once per pass. Passes over parts of the bins,
// gathered in parallel, are added in a fixed order.
struct PhiGradient {
  std::vector<Array> theta;
  Array nodes;  // empty for the t and GGD forms, and once finished

  void add(const PhiGradient& other);
  // Adds theta / divisor into `parameters`' gradients (a batch's loss is a mean).
  void accumulate_into(ParameterSet& parameters, Real divisor) const;
};

class Phi {
 public:
  virtual ~Phi() = default;
  virtual std::string kind() const = 0;
  virtual std::unique_ptr<Phi> clone() const = 0;

  ParameterSet& parameters() { return parameters_; }
  const ParameterSet& parameters() const { return parameters_; }
  // Zeros shaped like the parameters.
  PhiGradient zero_gradient() const;
  // Draws the parameters that start at random: the network's weights. The t and GGD forms
  // start at their given nu and beta and draw nothing.
  virtual void initialise(RandomStream /*rng*/) {}

  // zeta(r) = exp(Phi(r)), elementwise.
  virtual Array zeta(const Array& r) const = 0;
  // Given g = d loss / d zeta at each r, and zeta(r) as the forward pass computed it: returns
  // d loss / d r and adds sum over elements of g d zeta / d theta into `theta_grad`.
  virtual Array backward(const Array& r, const Array& zeta, const Array& g,
                         PhiGradient& theta_grad) const = 0;
  // Completes `theta_grad` after the last backward() of a pass (the network defers work there).
  virtual void finish_gradient(PhiGradient& /*theta_grad*/) const {}
  // Phi itself at one r > 0 (for the learned PDF of eq. 13 and for inspection).
  Real phi(Real r) const;
  // The interpretable values (nu, beta) for logs and results; empty for the network.
  virtual Json describe() const { return Json::object(); }
  // Phi at its current parameters as the statistical model of the classic solver: the t and
  // GGD forms are the classic models themselves, so DeMUA's untracked stacks run the very
  // code of complex_nmf. Take a new one after the parameters change.
  virtual std::unique_ptr<nmf::StatisticalModel> model() const = 0;

 protected:
  ParameterSet parameters_;
};

// Eq. (19): Phi = -log((nu + 2r) / (nu + 2)), nu = e^theta1.
class StudentTPhi final : public Phi {
 public:
  explicit StudentTPhi(Real nu);
  std::string kind() const override { return "t"; }
  std::unique_ptr<Phi> clone() const override { return std::make_unique<StudentTPhi>(*this); }
  Array zeta(const Array& r) const override;
  Array backward(const Array& r, const Array& zeta, const Array& g,
                 PhiGradient& theta_grad) const override;
  Json describe() const override;
  std::unique_ptr<nmf::StatisticalModel> model() const override;

 private:
  Real nu() const;
};

// Eq. (20): Phi = ((beta - 2) / 2) log r, beta = e^theta2.
class GgdPhi final : public Phi {
 public:
  explicit GgdPhi(Real beta);
  std::string kind() const override { return "ggd"; }
  std::unique_ptr<Phi> clone() const override { return std::make_unique<GgdPhi>(*this); }
  Array zeta(const Array& r) const override;
  Array backward(const Array& r, const Array& zeta, const Array& g,
                 PhiGradient& theta_grad) const override;
  Json describe() const override;
  std::unique_ptr<nmf::StatisticalModel> model() const override;

 private:
  Real beta() const;
};

// Paper 000, Fig. 3: a scalar network on x = log r,
//   x -> [Linear(., 2 width) -> GLU] x depth -> ELU -> Linear(width, 1) = Phi,
// GLU(a | b) = a * sigmoid(b) with a the first `width` outputs. The figure's sizes are not in
// the text; width 16 and depth 2 (Linear(1, 32), Linear(16, 32), Linear(16, 1)) match the
// reference implementation. Parameters are named l1.weight, l1.bias, ... (out x in), as
// torch.nn.Linear; they are zero until initialise() draws them from torch.nn.Linear's default
// U(-1/sqrt(in), 1/sqrt(in)).
//
// Phi is scalar-to-scalar, so it is not evaluated bin by bin (600 multiply-adds each, at
// every bin of every stack) but through a Catmull-Rom spline on a grid of x = log r with
// spacing 1/256 over [-40, 40], built from the exact network whenever its parameters change.
// The spline is C1 and its error is below 1e-7 of Phi's scale (tested). Beyond the grid
// (r below 4e-18 or above 2e17) Phi is held at its value at the end, so that zeta stays
// finite where an observation is exactly zero. Gradients are those of the spline, hence
// consistent with the forward pass: d Phi / d x from the spline, d Phi / d theta by spreading
// each bin's gradient onto its four grid nodes and back-propagating once through the network
// at the nodes (once per pass: backward() gathers the nodes' gradient, finish_gradient()
// propagates it).
class NetworkPhi final : public Phi {
 public:
  NetworkPhi(int width, int depth);
  NetworkPhi(const NetworkPhi& other);
  void initialise(RandomStream rng) override;
  std::string kind() const override { return "nn"; }
  std::unique_ptr<Phi> clone() const override { return std::make_unique<NetworkPhi>(*this); }
  Array zeta(const Array& r) const override;
  Array backward(const Array& r, const Array& zeta, const Array& g,
                 PhiGradient& theta_grad) const override;
  void finish_gradient(PhiGradient& theta_grad) const override;
  std::unique_ptr<nmf::StatisticalModel> model() const override;
  // The network itself at each x = log r, without the spline (for tests and the grid).
  Signal exact_phi(const Signal& x) const;
  // d loss / d x at each x for seeds g = d loss / d Phi; adds d loss / d theta.
  Signal exact_backward(const Signal& x, const Signal& g, PhiGradient& theta_grad) const;

  struct Spline;
  // The spline covers x in [-kSplineEnd, kSplineEnd].
  static constexpr Real kSplineEnd = 40;

 private:
  // The spline of the current parameters, rebuilt when they have changed.
  std::shared_ptr<const Spline> spline() const;

  int depth_;
  mutable std::mutex spline_mutex_;
  mutable std::shared_ptr<const Spline> spline_;
};

// kind: t, ggd or nn (anything else is an Error naming the valid kinds).
struct PhiOptions {
  std::string kind = "t";
  Real nu = 4, beta = 1.2;
  int width = 16, depth = 2;
  // The network's start (warm_start.hpp): random, t or gaussian.
  std::string network_start = "random";
};
std::unique_ptr<Phi> make_phi(const PhiOptions& options);

}  // namespace nmfbench::demua
