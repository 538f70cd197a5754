#pragma once

// The LSTM baseline of paper 003 (sec. 5): stacked LSTMs on the mixture's magnitudes, zero
// initial state, then a sigmoid mask over the F bins, estimate mask o X. PyTorch's nn.LSTM
// convention: rows of W_ih, W_hh and both biases in gate order i, f, g, o,
//   [i f g o] = W_ih x_t + b_ih + W_hh h + b_hh,  i, f, o = sigmoid, g = tanh,
//   c = f c + i g,  h = o tanh(c);
// `hard_sigmoid` gates, clip(0.2 z + 0.5, 0, 1), are Keras 2.0.4's (the authors' code).
// Each layer is one ad::lstm node on the tape, the output layer and loss the tape's ops.
// Parameters: "W_ih<l>", "W_hh<l>", "b_ih<l>", "b_hh<l>" for l = 1..layers, "W_out", "b_out".
// The loss is the code's: the mean over valid frames and bins of (y - mask x)^2 times
// B T / n_valid (Keras applies its mask on top of the sample weights).

#include "core/optim/parameters.hpp"
#include "core/random.hpp"
#include "methods/drnmf/sequences.hpp"

namespace nmfbench::drnmf {

struct LstmOptions {
  int layers = 2, hidden = 54;
  bool hard_sigmoid = false;
};

// Uniform(-1/sqrt(hidden), 1/sqrt(hidden)) weights, PyTorch's default, from `rng`.
ParameterSet lstm_parameters(Eigen::Index bins, const LstmOptions& options, RandomStream& rng);

class Lstm {
 public:
  explicit Lstm(LstmOptions options) : options_(options) {}
  // The mask, F x B T, zero on padded columns.
  Array mask(const ParameterSet& parameters, const SequenceBatch& batch) const;
  // The loss; with `gradient`, the gradients are left in parameters' grads.
  Real loss(ParameterSet& parameters, const SequenceBatch& batch, bool gradient) const;

 private:
  LstmOptions options_;
};

}  // namespace nmfbench::drnmf
