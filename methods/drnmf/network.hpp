#pragma once

// The DR-NMF network (paper 003, sec. 4): warm-start ISTA unfolded over frames and K layers
// with untied dictionaries W_k and step sizes alpha_k, in the form of the authors' code (the
// default) or of Alg. 2 as printed. Raw trainable parameters, in a ParameterSet:
//   "Wr1".."WrK" (F x N): W_k = exp(Wr_k) with unit-l2 columns;  "ar" (K x 1): alpha = exp(ar);
//   "h0r" (N x 1): h0 = softplus(h0r);  "Wyr" (F x Ny), "Wvr" (F x Nv): the output
//   dictionaries exp(Wyr), exp(Wvr), not normalised.  N = Ny + Nv, speech first.
// Per sequence h_prev = h0 and for every frame t, leak = eps sum(h_prev):
//   layer 1, code form: z = h_prev + leak + (W_1^T x_t - lambda)/alpha_1
//            ista form: z = h_prev + (W_1^T (x_t - W_1 h_prev) - lambda)/alpha_1
//   layer k >= 2:       z = h + leak + (W_k^T (x_t - W_k h) - lambda)/alpha_k,  h = layer k-1
//   h^(k) = max(z, 0), h_prev <- h^(K);
// the speech mask (eps_m + Wy h_y) / (eps_m + Wy h_y + Wv h_v) of eq. 2, and the loss of
// eq. 7 as the code trains it, the mean over valid frames and bins of (y - mask x)^2.
// Gradients are back-propagated through time by hand: per frame only the recursion of the
// gradient reaching h, then one matrix product per layer over all frames for W and alpha,
// so memory grows with frames x K x N.

#include "core/optim/parameters.hpp"
#include "methods/drnmf/sequences.hpp"

namespace nmfbench::drnmf {

enum class FirstLayer { code, ista };
// How the ISTA terms are computed (the same numbers up to rounding): automatic picks gram,
// through S_k = I - W_k^T W_k / alpha_k, when N < 2F, else factored.
enum class Form { automatic, factored, gram };

struct NetworkOptions {
  Eigen::Index speech = 0;  // Ny
  int layers = 2;           // K
  FirstLayer first_layer = FirstLayer::code;
  Real lambda = 1;  // lam1; the network uses lambda + eps, as the code stores log(eps + lam1)
  Real eps = 1e-7;  // the code's recurrence leak; 0 with the ista form is Alg. 2 exactly
  Real mask_eps = 1e-7;
  Form form = Form::automatic;
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
