#include "methods/demua/phi.hpp"

#include <cmath>

#include "core/fast_pow.hpp"
#include "core/hash.hpp"
#include "methods/demua/learned_pdf.hpp"

namespace nmfbench::demua {
namespace {

using Matrix = Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic>;
using RowVector = Eigen::Matrix<Real, 1, Eigen::Dynamic>;

// The network is evaluated over blocks of this many bins: its hidden layers for one block
// stay in cache, and a block's activations are all the backward pass keeps.
constexpr Eigen::Index kBlock = 256;

// Appending avoids GCC 12's false -Wrestrict on "literal" + std::string (GCC bug 105329).
std::string layer(int index, const char* what) {
  std::string name = "l";
  name += std::to_string(index);
  name += ".";
  name += what;
  return name;
}

Array sigmoid(const Array& x) {
  return 1 / (1 + (-x).exp());
}

}  // namespace

void PhiGradient::add(const PhiGradient& other) {
  for (std::size_t i = 0; i < theta.size(); ++i) theta[i] += other.theta[i];
  if (nodes.size() == 0)
    nodes = other.nodes;
  else if (other.nodes.size() > 0)
    nodes += other.nodes;
}

void PhiGradient::accumulate_into(ParameterSet& parameters, Real divisor) const {
  if (nodes.size() > 0) throw Error("Phi gradient: finish_gradient() was not called");
  for (std::size_t i = 0; i < theta.size(); ++i)
    parameters.grad(parameters.names()[i]) += theta[i] / divisor;
}

PhiGradient Phi::zero_gradient() const {
  PhiGradient g;
  for (const auto& name : parameters_.names()) {
    const Array& v = parameters_.value(name);
    g.theta.push_back(Array::Zero(v.rows(), v.cols()));
  }
  return g;
}

Real Phi::phi(Real r) const {
  return std::log(zeta(Array::Constant(1, 1, r))(0, 0));
}

StudentTPhi::StudentTPhi(Real nu) {
  if (!(nu > 0)) throw Error("t Phi: nu must be > 0, got " + std::to_string(nu));
  parameters_.add("theta", Array::Constant(1, 1, std::log(nu)));
}
Real StudentTPhi::nu() const {
  return std::exp(parameters_.value("theta")(0, 0));
}
Array StudentTPhi::zeta(const Array& r) const {
  const Real nu = this->nu();
  return (nu + 2) / (nu + 2 * r);
}
Array StudentTPhi::backward(const Array& r, const Array& zeta, const Array& g,
                            PhiGradient& theta_grad) const {
  const Real nu = this->nu();
  const Array inverse_square = (zeta / (nu + 2)).square();  // 1 / (nu + 2r)^2
  // d zeta / d theta = nu d zeta / d nu = nu (2r - 2) / (nu + 2r)^2.
  theta_grad.theta[0](0, 0) += nu * (g * (2 * r - 2) * inverse_square).sum();
  return g * (-2 * (nu + 2)) * inverse_square;
}
std::unique_ptr<nmf::StatisticalModel> StudentTPhi::model() const {
  return std::make_unique<nmf::StudentTModel>(nu());
}
Json StudentTPhi::describe() const {
  return {{"theta1", parameters_.value("theta")(0, 0)}, {"nu", nu()}};
}

GgdPhi::GgdPhi(Real beta) {
  if (!(beta > 0)) throw Error("ggd Phi: beta must be > 0, got " + std::to_string(beta));
  parameters_.add("theta", Array::Constant(1, 1, std::log(beta)));
}
Real GgdPhi::beta() const {
  return std::exp(parameters_.value("theta")(0, 0));
}
Array GgdPhi::zeta(const Array& r) const {
  return pow_elementwise(r, (beta() - 2) / 2);
}
Array GgdPhi::backward(const Array& r, const Array& zeta, const Array& g,
                       PhiGradient& theta_grad) const {
  const Real beta = this->beta();
  const Array gz = g * zeta;
  const Array log_r = r.log();
  // d zeta / d theta = zeta log r (beta / 2);  d zeta / d r = zeta (beta - 2) / (2 r).
  theta_grad.theta[0](0, 0) += beta / 2 * (gz * log_r).sum();
  return gz * ((beta - 2) / 2) / r;
}
std::unique_ptr<nmf::StatisticalModel> GgdPhi::model() const {
  return std::make_unique<nmf::GgdModel>(beta());
}
Json GgdPhi::describe() const {
  return {{"theta2", parameters_.value("theta")(0, 0)}, {"beta", beta()}};
}

NetworkPhi::NetworkPhi(int width, int depth) : depth_(depth) {
  if (width < 1 || depth < 1)
    throw Error("network Phi: width and depth must be >= 1, got " + std::to_string(width) +
                " and " + std::to_string(depth));
  auto add_linear = [&](int index, Eigen::Index in, Eigen::Index out) {
    parameters_.add(layer(index, "weight"), Array::Zero(out, in));
    parameters_.add(layer(index, "bias"), Array::Zero(out, 1));
  };
  for (int l = 1; l <= depth; ++l) add_linear(l, l == 1 ? 1 : width, 2 * width);
  add_linear(depth + 1, width, 1);
}

void NetworkPhi::initialise(RandomStream rng) {
  for (int l = 1; l <= depth_ + 1; ++l) {
    Array& weight = parameters_.value(layer(l, "weight"));
    Array& bias = parameters_.value(layer(l, "bias"));
    const Real bound = 1 / std::sqrt(static_cast<Real>(weight.cols()));
    weight = rng.uniform_array(weight.rows(), weight.cols(), -bound, bound);
    bias = rng.uniform_array(bias.rows(), 1, -bound, bound);
  }
}

namespace {

// One block's forward pass, keeping what the backward pass reads: the input of every layer
// and the pre-activations of the gated layers.
struct NetworkBlock {
  std::vector<Matrix> inputs;  // inputs[l]: the input of layer l+1 (inputs[0] = x)
  std::vector<Matrix> gates;   // pre-activations (2 width x n) of the gated layers
  Matrix hidden;               // the last GLU's output, before the ELU
  RowVector phi;
};

NetworkBlock forward_block(const ParameterSet& p, int depth, const RowVector& x) {
  NetworkBlock b;
  Matrix a = x;
  for (int l = 1; l <= depth; ++l) {
    b.inputs.push_back(a);
    Matrix z = p.value(layer(l, "weight")).matrix() * a;
    z.colwise() += p.value(layer(l, "bias")).matrix().col(0);
    const Eigen::Index width = z.rows() / 2;
    a = (z.topRows(width).array() * sigmoid(z.bottomRows(width).array())).matrix();
    b.gates.push_back(std::move(z));
  }
  b.hidden = a;
  const Matrix elu = (a.array() > 0).select(a.array(), a.array().exp() - 1).matrix();
  b.inputs.push_back(elu);
  b.phi = p.value(layer(depth + 1, "weight")).matrix() * elu;
  b.phi.array() += p.value(layer(depth + 1, "bias"))(0, 0);
  return b;
}

// Calls body(start, count) for consecutive blocks of [0, n).
template <typename Body>
void for_each_block(Eigen::Index n, Body body) {
  for (Eigen::Index start = 0; start < n; start += kBlock) body(start, std::min(kBlock, n - start));
}

// The spline grid: x_j = kLow + j kStep, j = -1 .. kIntervals + 1 (a guard node each end).
constexpr Real kLow = -NetworkPhi::kSplineEnd, kHigh = NetworkPhi::kSplineEnd, kStep = 1.0 / 256;
constexpr auto kIntervals = static_cast<Eigen::Index>((kHigh - kLow) / kStep);

// Catmull-Rom weights of the nodes j-1 .. j+2 at fraction u of interval [x_j, x_j+1], and
// their derivatives in u.
struct SplineWeights {
  std::array<Real, 4> value, slope;
  explicit SplineWeights(Real u) {
    const Real u2 = u * u, u3 = u2 * u;
    value = {0.5 * (-u + 2 * u2 - u3), 0.5 * (2 - 5 * u2 + 3 * u3), 0.5 * (u + 4 * u2 - 3 * u3),
             0.5 * (u3 - u2)};
    slope = {0.5 * (-1 + 4 * u - 3 * u2), 0.5 * (9 * u2 - 10 * u), 0.5 * (1 + 8 * u - 9 * u2),
             0.5 * (3 * u2 - 2 * u)};
  }
};

// The interval of x and the fraction within it. Beyond the grid x is clamped to its ends:
// returns false there, where Phi is constant.
Eigen::Index interval(Real x, Real& u, bool& inside) {
  const Real t = (x - kLow) / kStep;
  inside = t >= 0 && t < static_cast<Real>(kIntervals);
  if (!inside) {
    u = t >= 0 ? 1 : 0;
    return t >= 0 ? kIntervals - 1 : 0;
  }
  const auto j = static_cast<Eigen::Index>(t);
  u = t - static_cast<Real>(j);
  return j;
}

std::uint64_t parameter_hash(const ParameterSet& p) {
  std::uint64_t h = 0;
  for (const auto& name : p.names()) {
    const Array& v = p.value(name);
    h = h * 1099511628211ULL ^ fnv1a(v.data(), static_cast<std::size_t>(v.size()) * sizeof(Real));
  }
  return h;
}

}  // namespace

struct NetworkPhi::Spline {
  std::uint64_t parameters;
  Signal nodes;  // x of nodes -1 .. kIntervals + 1
  Signal phi;    // Phi there

  // Phi, and d Phi / d x where `slope` is given, at every x.
  void evaluate(const Array& x, Array& value, Array* slope) const {
    value.resize(x.rows(), x.cols());
    if (slope) slope->resize(x.rows(), x.cols());
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      Real u;
      bool inside;
      const Eigen::Index j = interval(x(i), u, inside);
      const SplineWeights weights(u);
      const Real* f = phi.data() + j;  // node j - 1 sits at offset j
      value(i) = weights.value[0] * f[0] + weights.value[1] * f[1] + weights.value[2] * f[2] +
                 weights.value[3] * f[3];
      if (slope)
        (*slope)(i) = inside ? (weights.slope[0] * f[0] + weights.slope[1] * f[1] +
                                weights.slope[2] * f[2] + weights.slope[3] * f[3]) /
                                   kStep
                             : 0;
    }
  }
};

namespace {

// The network Phi as a statistical model; the default update_weights composes its zeta.
class NetworkModel final : public nmf::StatisticalModel {
 public:
  explicit NetworkModel(const NetworkPhi& phi) : phi_(phi.clone()) {}
  std::string name() const override { return "nn"; }
  Array zeta(const Array& r) const override { return phi_->zeta(r); }
  Array neg_log_f(const Array& r) const override { return neg_log_density(*phi_, r); }

 private:
  std::unique_ptr<Phi> phi_;  // a copy: the model keeps the parameters it was made with
};

}  // namespace

std::unique_ptr<nmf::StatisticalModel> NetworkPhi::model() const {
  return std::make_unique<NetworkModel>(*this);
}

NetworkPhi::NetworkPhi(const NetworkPhi& other) : Phi(other), depth_(other.depth_) {
  std::lock_guard lock(other.spline_mutex_);
  spline_ = other.spline_;
}

Signal NetworkPhi::exact_phi(const Signal& x) const {
  Signal phi(x.size());
  for_each_block(x.size(), [&](Eigen::Index start, Eigen::Index count) {
    phi.segment(start, count) =
        forward_block(parameters_, depth_, x.segment(start, count).matrix().transpose())
            .phi.transpose()
            .array();
  });
  return phi;
}

Signal NetworkPhi::exact_backward(const Signal& x, const Signal& g, PhiGradient& theta_grad) const {
  Signal g_x(x.size());
  const auto out = static_cast<std::size_t>(2 * depth_);
  for_each_block(x.size(), [&](Eigen::Index start, Eigen::Index count) {
    const NetworkBlock b =
        forward_block(parameters_, depth_, x.segment(start, count).matrix().transpose());
    const RowVector g_phi = g.segment(start, count).matrix().transpose();
    theta_grad.theta[out].matrix() += g_phi * b.inputs.back().transpose();
    theta_grad.theta[out + 1](0, 0) += g_phi.sum();
    const Matrix& hidden = b.hidden;
    Matrix g_a = (parameters_.value(layer(depth_ + 1, "weight")).matrix().transpose() * g_phi)
                     .cwiseProduct((hidden.array() > 0).select(1, hidden.array().exp()).matrix());
    for (int l = depth_; l >= 1; --l) {
      const Matrix& z = b.gates[static_cast<std::size_t>(l - 1)];
      const Eigen::Index width = z.rows() / 2;
      const Array s = sigmoid(z.bottomRows(width).array());
      Matrix g_z(z.rows(), z.cols());
      g_z.topRows(width) = (g_a.array() * s).matrix();
      g_z.bottomRows(width) = (g_a.array() * z.topRows(width).array() * s * (1 - s)).matrix();
      const auto index = static_cast<std::size_t>(2 * (l - 1));
      theta_grad.theta[index].matrix() +=
          g_z * b.inputs[static_cast<std::size_t>(l - 1)].transpose();
      theta_grad.theta[index + 1].matrix() += g_z.rowwise().sum();
      g_a = parameters_.value(layer(l, "weight")).matrix().transpose() * g_z;
    }
    g_x.segment(start, count) = g_a.transpose().array();
  });
  return g_x;
}

std::shared_ptr<const NetworkPhi::Spline> NetworkPhi::spline() const {
  const std::uint64_t hash = parameter_hash(parameters_);
  std::lock_guard lock(spline_mutex_);
  if (!spline_ || spline_->parameters != hash) {
    auto s = std::make_shared<Spline>();
    s->parameters = hash;
    s->nodes = Signal::LinSpaced(kIntervals + 3, kLow - kStep, kHigh + kStep);
    s->phi = exact_phi(s->nodes);
    spline_ = std::move(s);
  }
  return spline_;
}

Array NetworkPhi::zeta(const Array& r) const {
  Array phi;
  spline()->evaluate(r.log(), phi, nullptr);
  return phi.exp();
}

Array NetworkPhi::backward(const Array& r, const Array& zeta, const Array& g,
                           PhiGradient& theta_grad) const {
  const auto s = spline();
  const Array x = r.log();
  Array phi, slope;
  s->evaluate(x, phi, &slope);
  // d zeta / d Phi = zeta; x = log r.
  const Array g_phi = g * zeta;
  // The nodes' share of d loss / d Phi, back-propagated through the network once, by
  // finish_gradient(), for every bin of every stack of the pass.
  if (theta_grad.nodes.size() == 0) theta_grad.nodes = Array::Zero(s->phi.size(), 1);
  Real* nodes = theta_grad.nodes.data();
  for (Eigen::Index i = 0; i < r.size(); ++i) {
    Real u;
    bool inside;
    const Eigen::Index j = interval(x(i), u, inside);
    const SplineWeights w(u);
    for (std::size_t k = 0; k < 4; ++k)
      nodes[j + static_cast<Eigen::Index>(k)] += g_phi(i) * w.value[k];
  }
  return g_phi * slope / r;
}

void NetworkPhi::finish_gradient(PhiGradient& theta_grad) const {
  if (theta_grad.nodes.size() == 0) return;
  const Array nodes = std::move(theta_grad.nodes);
  theta_grad.nodes.resize(0, 1);
  Eigen::Index first = 0, last = nodes.size() - 1;  // only the nodes some bin reached
  while (first <= last && nodes(first) == 0) ++first;
  while (last >= first && nodes(last) == 0) --last;
  if (first > last) return;
  const auto s = spline();
  exact_backward(s->nodes.segment(first, last - first + 1),
                 nodes.col(0).segment(first, last - first + 1), theta_grad);
}

std::unique_ptr<Phi> make_phi(const PhiOptions& options) {
  if (options.kind == "t") return std::make_unique<StudentTPhi>(options.nu);
  if (options.kind == "ggd") return std::make_unique<GgdPhi>(options.beta);
  if (options.kind == "nn") return std::make_unique<NetworkPhi>(options.width, options.depth);
  throw Error("unknown Phi '" + options.kind + "'; expected one of t, ggd, nn");
}

}  // namespace nmfbench::demua
