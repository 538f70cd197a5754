#pragma once

// The DR-NMF network (paper 003, sec. 4): warm-start ISTA unfolded over frames and K layers
// with untied dictionaries W_k and step sizes alpha_k (unfolded_ista.hpp), the speech mask
// (eps_m + Wy h_y) / (eps_m + Wy h_y + Wv h_v) of eq. 2 from the top layer, and the loss of
// eq. 7 as the code trains it, the mean over valid frames and bins of (y - mask x)^2. Raw
// trainable parameters, in a ParameterSet:
//   "Wr1".."WrK" (F x N): W_k = exp(Wr_k) with unit-l2 columns;  "ar" (K x 1): alpha = exp(ar);
//   "h0r" (N x 1): h0 = softplus(h0r);  "Wyr" (F x Ny), "Wvr" (F x Nv): the output
//   dictionaries exp(Wyr), exp(Wvr), not normalised.  N = Ny + Nv, speech first.
// Everything is built on the tape, the recurrence as one node.

#include "core/optim/parameters.hpp"
#include "methods/drnmf/sequences.hpp"
#include "methods/drnmf/unfolded_ista.hpp"

namespace nmfbench::drnmf {

struct NetworkOptions {
  Eigen::Index speech = 0;  // Ny
  UnfoldingOptions ista;
  Real mask_eps = 1e-7;
};

// The raw parameters initialised from sparse NMF bases w (F x N, unit columns, speech first):
// every Wr_k and the output dictionaries log(eps + w), ar = log(eps + alpha), h0r ~
// U(-0.05, 0.05) from `rng_values` (N x 1, uniform on [0, 1)).
ParameterSet initial_parameters(const Array& w, Real alpha, const NetworkOptions& options,
                                const Array& uniform);

struct Forward {
  std::vector<Array> h;  // per layer, N x B T (padded columns hold unscored values)
  Array mask;            // F x B T, zero on padded columns
};

class Network {
 public:
  explicit Network(NetworkOptions options) : options_(options) {}
  const NetworkOptions& options() const { return options_; }

  Forward forward(const ParameterSet& parameters, const SequenceBatch& batch) const;
  // The mean loss of the batch; with `gradient`, the raw parameters' gradients are left in
  // parameters' grads (summed over the batch: the gradient of this mean).
  Real loss(ParameterSet& parameters, const SequenceBatch& batch, bool gradient) const;

 private:
  NetworkOptions options_;
};

}  // namespace nmfbench::drnmf
