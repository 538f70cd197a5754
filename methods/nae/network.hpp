#pragma once

#include <string_view>
#include <vector>

#include "core/autodiff/ops.hpp"
#include "core/optim/optimizers.hpp"
#include "core/random.hpp"

namespace nmfbench::nae {

// Non-negative autoencoders (paper 002, eqs. 3-7) and their convolutional form (paper 004,
// eqs. 6-8) on the autodiff tape. Spectrograms are F x N (bins x frames).
//
// Every layer is Y = g(sum_k W_k Y_prev^{k->}), a causal convolution over frames of depth
// `taps` (frames before 0 are zeros), stored as one C_out x (taps C_in) matrix whose k-th
// block W_k acts on the input delayed by k frames: ad::conv1d's layout. With taps = 1 it is
// the product W Y_prev of the dense NAE. No biases. A network of 2L layers has sizes
// [F, n_1, .., n_L, .., n_1, F]; the first L encode, H = Y_L, and the last L decode.

enum class Activation { softplus, relu, abs };
Activation parse_activation(std::string_view name);
// g: softplus max(x, 0) + log1p(e^-|x|) (g' = sigmoid), max(x, 0) or |x|.
ad::Var activate(const ad::Var& x, Activation g);

// The KL cost of eq. 4 with eps = 1e-12 inside both logs, summed over all entries:
//   D = sum X (log(X + eps) - log(Xh + eps)) - X + Xh,   dD/dXh = 1 - X / (Xh + eps).
// The terms of X alone are computed once; X is kept once and shared with every tape.
class KlCost {
 public:
  explicit KlCost(const Array& x);
  ad::Var operator()(const ad::Var& xhat) const;
  struct Output {
    ad::Var xhat, cost;  // xhat detached
  };
  // Xh = sum_k g(A_k) for output layers' pre-activations A_k (one network's, or one per
  // source), and D(X | Xh). With softplus one pass over the elements gives Xh, D and
  // dD/dA_k = (1 - X / (Xh + eps)) sigmoid(A_k), which backward only scales: the same numbers
  // as the separate ops, without their passes over F x N arrays.
  Output of_outputs(const std::vector<ad::Var>& pre_activations, Activation g) const;
  // X as a constant on `tape`.
  ad::Var data(ad::Tape& tape) const { return tape.constant(x_); }

 private:
  void check_shape(const ad::Var& estimate) const;
  std::shared_ptr<const Array> x_;
  Real constant_;
};

struct Autoencoder {
  std::vector<Array> weights;  // W_1 .. W_2L
  Eigen::Index taps = 1;
  Activation activation = Activation::softplus;

  Eigen::Index depth() const { return static_cast<Eigen::Index>(weights.size()) / 2; }  // L
  // The decoder: layers L+1 .. 2L.
  std::vector<Array> decoder() const;
};

// Weights ~ U(-b, b), b = 1/sqrt(taps C_in) (nn.Linear's and nn.Conv1d's bound), drawn in
// layer order. `widths` are n_1 .. n_L.
Autoencoder make_autoencoder(Eigen::Index bins, const std::vector<Eigen::Index>& widths,
                             Eigen::Index taps, Activation g, RandomStream& rng);

// The layers `weights` applied in turn to `input`, each followed by g.
ad::Var apply_layers(const std::vector<ad::Var>& weights, const ad::Var& input, Activation g);

struct Forward {
  ad::Var h, loss;  // loss = D(X | Xh) + lambda sum H (eq. 5)
  ad::Var xhat;     // detached (KlCost::of_outputs): the loss reaches the weights without it
};
Forward forward(const std::vector<ad::Var>& weights, const KlCost& cost, Real lambda, Activation g);

// The spectrum each input unit of a decoder draws on its own (unit i set to 1 at one frame,
// the rest 0; a convolutional decoder's response at that frame): the NAE's bases W for
// figures (paper 002, Fig. 1). F x (units).
Array unit_responses(const std::vector<Array>& decoder, Eigen::Index units, Activation g);

// Full-batch training with RProp (torch.optim.Rprop's defaults): one step is one gradient of
// the loss over all frames. Returns the loss before each step.
class Trainer {
 public:
  Trainer(Autoencoder& network, const Array& x, Real lambda);
  Real step();

 private:
  Autoencoder& network_;
  KlCost cost_;
  Real lambda_;
  ParameterSet parameters_;
  Rprop rprop_;
};

// Eqs. 6, 8-9: the decoders fixed, the inputs of each fitted to X by RProp, with H_k = g(Z_k)
// kept non-negative through the network's own g: Xh_k = decoder_k(g(Z_k)), Xh = sum_k Xh_k,
// L = D(X | Xh) + lambda sum_k sum H_k.
class ActivationFit {
 public:
  ActivationFit(std::vector<std::vector<Array>> decoders, Activation g, const Array& x, Real lambda,
                const std::vector<Array>& z);
  // One RProp step; returns the loss before it.
  Real step();
  const Array& z(std::size_t k) const;
  // dL/dZ_k at the Z the last step started from.
  const Array& gradient(std::size_t k) const;
  Array h(std::size_t k) const;
  // Xh_k at the current Z, one per decoder.
  std::vector<Array> estimates() const;

 private:
  std::vector<std::vector<Array>> decoders_;
  Activation g_;
  KlCost cost_;
  Real lambda_;
  ParameterSet z_;
  Rprop rprop_;
};

}  // namespace nmfbench::nae
