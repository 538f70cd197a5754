#include "methods/demua/phi.hpp"

#include <cmath>

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

ParameterGradient Phi::zero_gradient() const {
  ParameterGradient g;
  for (const auto& name : parameters_.names()) {
    const Array& v = parameters_.value(name);
    g.push_back(Array::Zero(v.rows(), v.cols()));
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
Array StudentTPhi::backward(const Array& r, const Array& g, ParameterGradient& theta_grad) const {
  const Real nu = this->nu();
  const Array inverse_square = (nu + 2 * r).square().inverse();
  // d zeta / d theta = nu d zeta / d nu = nu (2r - 2) / (nu + 2r)^2.
  theta_grad[0](0, 0) += nu * (g * (2 * r - 2) * inverse_square).sum();
  return g * (-2 * (nu + 2)) * inverse_square;
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
  return ((beta() - 2) / 2 * r.log()).exp();
}
Array GgdPhi::backward(const Array& r, const Array& g, ParameterGradient& theta_grad) const {
  const Real beta = this->beta();
  const Array log_r = r.log();
  const Array gz = g * ((beta - 2) / 2 * log_r).exp();
  // d zeta / d theta = zeta log r (beta / 2);  d zeta / d r = zeta (beta - 2) / (2 r).
  theta_grad[0](0, 0) += beta / 2 * (gz * log_r).sum();
  return gz * ((beta - 2) / 2) / r;
}
Json GgdPhi::describe() const {
  return {{"theta2", parameters_.value("theta")(0, 0)}, {"beta", beta()}};
}

NetworkPhi::NetworkPhi(int width, int depth, RandomStream rng) : depth_(depth) {
  if (width < 1 || depth < 1)
    throw Error("network Phi: width and depth must be >= 1, got " + std::to_string(width) +
                " and " + std::to_string(depth));
  auto add_linear = [&](int index, Eigen::Index in, Eigen::Index out) {
    const Real bound = 1 / std::sqrt(static_cast<Real>(in));
    parameters_.add(layer(index, "weight"), rng.uniform_array(out, in, -bound, bound));
    parameters_.add(layer(index, "bias"), rng.uniform_array(out, 1, -bound, bound));
  };
  for (int l = 1; l <= depth; ++l) add_linear(l, l == 1 ? 1 : width, 2 * width);
  add_linear(depth + 1, width, 1);
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

template <typename Body>
void for_each_block(const Array& r, Body body) {
  const Eigen::Index n = r.size();
  for (Eigen::Index start = 0; start < n; start += kBlock) {
    const Eigen::Index count = std::min(kBlock, n - start);
    body(start, count,
         RowVector(Eigen::Map<const RowVector>(r.data() + start, count).array().log()));
  }
}

}  // namespace

Array NetworkPhi::zeta(const Array& r) const {
  Array z(r.rows(), r.cols());
  for_each_block(r, [&](Eigen::Index start, Eigen::Index count, const RowVector& x) {
    Eigen::Map<RowVector>(z.data() + start, count) =
        forward_block(parameters_, depth_, x).phi.array().exp().matrix();
  });
  return z;
}

Array NetworkPhi::backward(const Array& r, const Array& g, ParameterGradient& theta_grad) const {
  Array dr(r.rows(), r.cols());
  const Eigen::Index out = 2 * depth_;
  for_each_block(r, [&](Eigen::Index start, Eigen::Index count, const RowVector& x) {
    const NetworkBlock b = forward_block(parameters_, depth_, x);
    // d loss / d Phi = g zeta.
    const RowVector g_phi = Eigen::Map<const RowVector>(g.data() + start, count)
                                .cwiseProduct(b.phi.array().exp().matrix());
    theta_grad[static_cast<std::size_t>(out)].matrix() += g_phi * b.inputs.back().transpose();
    theta_grad[static_cast<std::size_t>(out) + 1](0, 0) += g_phi.sum();
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
      theta_grad[index].matrix() += g_z * b.inputs[static_cast<std::size_t>(l - 1)].transpose();
      theta_grad[index + 1].matrix() += g_z.rowwise().sum();
      g_a = parameters_.value(layer(l, "weight")).matrix().transpose() * g_z;
    }
    // x = log r: d loss / d r = (d loss / d x) / r.
    Eigen::Map<RowVector>(dr.data() + start, count) =
        (g_a.array() / Eigen::Map<const RowVector>(r.data() + start, count).array()).matrix();
  });
  return dr;
}

std::unique_ptr<Phi> make_phi(const PhiOptions& options, RandomStream rng) {
  if (options.kind == "t") return std::make_unique<StudentTPhi>(options.nu);
  if (options.kind == "ggd") return std::make_unique<GgdPhi>(options.beta);
  if (options.kind == "nn") return std::make_unique<NetworkPhi>(options.width, options.depth, rng);
  throw Error("unknown Phi '" + options.kind + "'; expected one of t, ggd, nn");
}

}  // namespace nmfbench::demua
