#include "methods/nae/network.hpp"

#include "core/array_math.hpp"
#include "core/parts.hpp"

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

KlCost::KlCost(const Array& x) : x_(std::make_shared<const Array>(x)) {
  if ((x < 0).any() || !all_finite(x))
    throw Error("NAE cost: the spectrogram must be finite and non-negative");
  constant_ = (x * (x + kEps).log() - x).sum();
}

void KlCost::check_shape(const ad::Var& estimate) const {
  if (estimate.rows() != x_->rows() || estimate.cols() != x_->cols())
    throw Error("NAE cost: the estimate is " + std::to_string(estimate.rows()) + " x " +
                std::to_string(estimate.cols()) + ", the data " + std::to_string(x_->rows()) +
                " x " + std::to_string(x_->cols()));
}

ad::Var KlCost::operator()(const ad::Var& xhat) const {
  check_shape(xhat);
  const Array& v = xhat.value();
  Array value(1, 1);
  value(0, 0) = sum_over_chunks(v.size(), constant_, [&](Eigen::Index first, Eigen::Index size) {
    const auto vs = elements(v, first, size);
    const auto xs = elements(*x_, first, size);
    return (vs - xs * (vs + kEps).log()).sum();
  });
  const std::shared_ptr<const Array> x = x_;
  return xhat.tape().record(
      std::move(value), {xhat}, [xhat, x](ad::Tape& t, const Array&, const Array& g) {
        const Array& v = xhat.value();
        Array grad(v.rows(), v.cols());
        for_each_chunk(v.size(), [&](Eigen::Index first, Eigen::Index size) {
          elements(grad, first, size) =
              g(0, 0) * (1 - elements(*x, first, size) / (elements(v, first, size) + kEps));
        });
        t.accumulate(xhat.id(), std::move(grad));
      });
}

KlCost::Output KlCost::of_outputs(const std::vector<ad::Var>& pre_activations, Activation g) const {
  if (pre_activations.empty()) throw Error("NAE cost: no output layer to compare with the data");
  ad::Tape& tape = pre_activations.front().tape();
  if (g != Activation::softplus || !tape.recording()) {
    ad::Var xhat = activate(pre_activations.front(), g);
    for (std::size_t k = 1; k < pre_activations.size(); ++k)
      xhat = xhat + activate(pre_activations[k], g);
    return {tape.constant(xhat.value()), (*this)(xhat)};
  }
  for (const auto& a : pre_activations) check_shape(a);
  Array xhat(x_->rows(), x_->cols());
  // dD/dA_k, first holding sigmoid(A_k).
  auto gradients = std::make_shared<std::vector<Array>>();
  for (std::size_t k = 0; k < pre_activations.size(); ++k)
    gradients->emplace_back(xhat.rows(), xhat.cols());
  Array value(1, 1);
  value(0, 0) = sum_over_chunks(xhat.size(), constant_, [&](Eigen::Index first, Eigen::Index size) {
    auto v = elements(xhat, first, size);
    Chunk output(size);
    for (std::size_t k = 0; k < pre_activations.size(); ++k) {
      softplus(elements(pre_activations[k].value(), first, size),
               Eigen::Map<Elements>(output.data(), size), elements((*gradients)[k], first, size));
      if (k == 0)
        v = output;
      else
        v += output;
    }
    const auto xs = elements(*x_, first, size);
    // As the ops' backward passes compute it: (1 (1 - X / (Xh + eps))) sigmoid(A_k).
    const Chunk factor = 1 - xs / (v + kEps);
    for (auto& gradient : *gradients) elements(gradient, first, size) *= factor;
    return (v - xs * (v + kEps).log()).sum();
  });
  const ad::Var cost =
      tape.record(std::move(value), pre_activations,
                  [pre_activations, gradients](ad::Tape& t, const Array&, const Array& g) {
                    // The kept gradients are handed over rather than copied (F x N each), so this
                    // node takes one backward pass.
                    for (std::size_t k = 0; k < pre_activations.size(); ++k) {
                      if ((*gradients)[k].size() == 0)
                        throw Error("NAE cost: a second backward pass over the fused output layer");
                      if (g(0, 0) != 1) (*gradients)[k] *= g(0, 0);
                      t.accumulate(pre_activations[k].id(), std::move((*gradients)[k]));
                    }
                  });
  return {tape.constant(std::move(xhat)), cost};
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
  f.h = apply_layers({weights.begin(), middle}, cost.data(tape), g);
  const ad::Var last = apply_layers({middle, weights.end() - 1}, f.h, g);
  const KlCost::Output out = cost.of_outputs({ad::conv1d(last, weights.back())}, g);
  f.xhat = out.xhat;
  f.loss = penalised(out.cost, {f.h}, lambda);
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
  for (std::size_t k = 0; k < decoders_.size(); ++k)
    if (decoders_[k].empty())
      throw Error("NAE fit: decoder " + std::to_string(k + 1) + " has no layer");
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
  std::vector<ad::Var> h, outputs;
  for (std::size_t k = 0; k < decoders_.size(); ++k) {
    h.push_back(activate(bound.at(z_.names()[k]), g_));
    const std::vector<ad::Var> layers = constants(tape, decoders_[k]);
    const ad::Var last = apply_layers({layers.begin(), layers.end() - 1}, h.back(), g_);
    outputs.push_back(ad::conv1d(last, layers.back()));
  }
  const ad::Var loss = penalised(cost_.of_outputs(outputs, g_).cost, h, lambda_);
  tape.backward(loss);
  z_.collect_grads(tape, bound);
  rprop_.step(z_);
  return loss.scalar();
}

}  // namespace nmfbench::nae
