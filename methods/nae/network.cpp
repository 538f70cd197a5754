#include "methods/nae/network.hpp"

namespace nmfbench::nae {
namespace {

constexpr Real kEps = 1e-12;

// Appended: GCC 12 warns on "literal" + std::string (bug 105329).
std::string indexed(std::string prefix, std::size_t i) {
  return prefix += std::to_string(i);
}

std::vector<ad::Var> constants(ad::Tape& tape, const std::vector<Array>& weights) {
  std::vector<ad::Var> vars;
  for (const auto& w : weights) vars.push_back(tape.constant(w));
  return vars;
}

// The summed H of the L1 penalty: every activation is non-negative, so sum |H| = sum H.
ad::Var penalised(const ad::Var& cost, const std::vector<ad::Var>& h, Real lambda) {
  if (lambda == 0) return cost;
  ad::Var total = cost;
  for (const auto& hk : h) total = total + lambda * ad::sum(hk);
  return total;
}

}  // namespace

Activation parse_activation(std::string_view name) {
  if (name == "softplus") return Activation::softplus;
  if (name == "relu") return Activation::relu;
  if (name == "abs") return Activation::abs;
  throw Error("activation '" + std::string(name) + "': expected softplus, relu or abs");
}

ad::Var activate(const ad::Var& x, Activation g) {
  switch (g) {
    case Activation::relu:
      return ad::relu(x);
    case Activation::abs:
      return ad::abs(x);
    case Activation::softplus:
      break;
  }
  return ad::softplus(x);
}

KlCost::KlCost(const Array& x) : x_(x) {
  if ((x < 0).any() || !all_finite(x))
    throw Error("NAE cost: the spectrogram must be finite and non-negative");
  constant_ = (x * (x + kEps).log() - x).sum();
}

ad::Var KlCost::operator()(const ad::Var& xhat) const {
  if (xhat.rows() != x_.rows() || xhat.cols() != x_.cols())
    throw Error("NAE cost: the estimate is " + std::to_string(xhat.rows()) + " x " +
                std::to_string(xhat.cols()) + ", the data " + std::to_string(x_.rows()) + " x " +
                std::to_string(x_.cols()));
  const Array& v = xhat.value();
  Array value(1, 1);
  value(0, 0) = constant_ + (v - x_ * (v + kEps).log()).sum();
  const Array* x = &x_;
  return xhat.tape().record(std::move(value), {xhat},
                            [xhat, x](ad::Tape& t, const Array&, const Array& g) {
                              t.accumulate(xhat.id(), g(0, 0) * (1 - *x / (xhat.value() + kEps)));
                            });
}

std::vector<Array> Autoencoder::decoder() const {
  return {weights.begin() + depth(), weights.end()};
}

Autoencoder make_autoencoder(Eigen::Index bins, const std::vector<Eigen::Index>& widths,
                             Eigen::Index taps, Activation g, RandomStream& rng) {
  if (widths.empty()) throw Error("NAE: expected at least one layer width");
  std::vector<Eigen::Index> sizes = {bins};
  sizes.insert(sizes.end(), widths.begin(), widths.end());
  sizes.insert(sizes.end(), widths.rbegin() + 1, widths.rend());
  sizes.push_back(bins);
  Autoencoder network{{}, taps, g};
  for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
    const Real bound = 1 / std::sqrt(static_cast<Real>(taps * sizes[i]));
    network.weights.push_back(rng.uniform_array(sizes[i + 1], taps * sizes[i], -bound, bound));
  }
  return network;
}

ad::Var apply_layers(const std::vector<ad::Var>& weights, const ad::Var& input, Activation g) {
  ad::Var y = input;
  for (const auto& w : weights) y = activate(ad::conv1d(y, w), g);
  return y;
}

Forward forward(const std::vector<ad::Var>& weights, const KlCost& cost, Real lambda,
                Activation g) {
  const auto middle = weights.begin() + static_cast<std::ptrdiff_t>(weights.size() / 2);
  ad::Tape& tape = weights.front().tape();
  Forward f;
  f.h = apply_layers({weights.begin(), middle}, tape.constant(cost.data()), g);
  f.xhat = apply_layers({middle, weights.end()}, f.h, g);
  f.loss = penalised(cost(f.xhat), {f.h}, lambda);
  return f;
}

Array unit_responses(const std::vector<Array>& decoder, Eigen::Index units, Activation g) {
  const Eigen::Index bins = decoder.back().rows();
  ad::Tape tape;
  Array responses(bins, units);
  // One unit at a time, so that a convolution's later taps see no other unit.
  for (Eigen::Index i = 0; i < units; ++i) {
    Array input = Array::Zero(units, 1);
    input(i, 0) = 1;
    responses.col(i) = apply_layers(constants(tape, decoder), tape.constant(input), g).value();
  }
  return responses;
}

Trainer::Trainer(Autoencoder& network, const Array& x, Real lambda)
    : network_(network), cost_(x), lambda_(lambda) {
  for (std::size_t i = 0; i < network.weights.size(); ++i)
    parameters_.add(indexed("W", i + 1), network.weights[i]);
}

Real Trainer::step() {
  ad::Tape tape;
  const auto bound = parameters_.bind(tape);
  std::vector<ad::Var> weights;
  for (const auto& name : parameters_.names()) weights.push_back(bound.at(name));
  const Forward f = forward(weights, cost_, lambda_, network_.activation);
  tape.backward(f.loss);
  parameters_.collect_grads(tape, bound);
  rprop_.step(parameters_);
  for (std::size_t i = 0; i < network_.weights.size(); ++i)
    network_.weights[i] = parameters_.value(parameters_.names()[i]);
  return f.loss.scalar();
}

ActivationFit::ActivationFit(std::vector<std::vector<Array>> decoders, Activation g, const Array& x,
                             Real lambda, const std::vector<Array>& z)
    : decoders_(std::move(decoders)), g_(g), cost_(x), lambda_(lambda) {
  if (z.size() != decoders_.size())
    throw Error("NAE fit: " + std::to_string(z.size()) + " starting activations for " +
                std::to_string(decoders_.size()) + " decoders");
  for (std::size_t k = 0; k < z.size(); ++k) z_.add(indexed("Z", k + 1), z[k]);
}

const Array& ActivationFit::z(std::size_t k) const {
  return z_.value(z_.names().at(k));
}

const Array& ActivationFit::gradient(std::size_t k) const {
  return z_.grad(z_.names().at(k));
}

Array ActivationFit::h(std::size_t k) const {
  ad::Tape tape;
  return activate(tape.constant(z(k)), g_).value();
}

std::vector<Array> ActivationFit::estimates() const {
  ad::Tape tape;
  std::vector<Array> xhat;
  for (std::size_t k = 0; k < decoders_.size(); ++k)
    xhat.push_back(
        apply_layers(constants(tape, decoders_[k]), activate(tape.constant(z(k)), g_), g_).value());
  return xhat;
}

Real ActivationFit::step() {
  ad::Tape tape;
  const auto bound = z_.bind(tape);
  std::vector<ad::Var> h;
  ad::Var xhat;
  for (std::size_t k = 0; k < decoders_.size(); ++k) {
    h.push_back(activate(bound.at(z_.names()[k]), g_));
    const ad::Var part = apply_layers(constants(tape, decoders_[k]), h.back(), g_);
    xhat = k == 0 ? part : xhat + part;
  }
  const ad::Var loss = penalised(cost_(xhat), h, lambda_);
  tape.backward(loss);
  z_.collect_grads(tape, bound);
  rprop_.step(z_);
  return loss.scalar();
}

}  // namespace nmfbench::nae
