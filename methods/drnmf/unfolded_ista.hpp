#pragma once

// Warm-start ISTA unfolded over frames and K layers (paper 003, sec. 4) as one op on the tape,
// in the form of the authors' code (the default) or of Alg. 2 as printed. For every sequence
// h_prev = h0 and for every frame t, leak = eps sum(h_prev):
//   layer 1, code form: z = h_prev + leak + (W_1^T x_t - lambda)/alpha_1
//            ista form: z = h_prev + (W_1^T (x_t - W_1 h_prev) - lambda)/alpha_1
//   layer k >= 2:       z = h + leak + (W_k^T (x_t - W_k h) - lambda)/alpha_k,  h = layer k-1
//   h^(k) = max(z, 0), h_prev <- h^(K).
// One node for the whole recurrence: its backward pass runs the recursion of dL/dh back
// through time frame by frame, then matrix products over all frames for W_k, alpha_k and x,
// so memory grows with the frames (K N values per frame and sequence, 2 F more per layer in
// the factored form, which keeps its residuals), not with nodes per frame.

#include <memory>
#include <vector>

#include "core/autodiff/tape.hpp"

namespace nmfbench::drnmf {

enum class FirstLayer { code, ista };
// How the ISTA terms are computed (the same numbers up to rounding): automatic picks gram,
// through S_k = I - W_k^T W_k / alpha_k, when N < 2F, else factored.
enum class Form { automatic, factored, gram };

struct UnfoldingOptions {
  int layers = 2;  // K
  FirstLayer first_layer = FirstLayer::code;
  Real lambda = 1;  // the network uses lambda + eps, as the code stores log(eps + lam1)
  Real eps = 1e-7;  // the code's recurrence leak; 0 with the ista form is Alg. 2 exactly
  Form form = Form::automatic;
};

struct UnfoldedIsta {
  ad::Var top;  // h^(K), N x B T
  // h^(1) .. h^(K-1), N x B T each: what the backward pass keeps of the forward one.
  std::shared_ptr<const std::vector<Array>> lower;
};

// x: F x B T, frame t of sequence b in column t B + b; w: K dictionaries F x N with unit
// columns; alpha: K x 1; h0: N x 1.
UnfoldedIsta unfolded_ista(const ad::Var& x, const std::vector<ad::Var>& w, const ad::Var& alpha,
                           const ad::Var& h0, Eigen::Index sequences,
                           const UnfoldingOptions& options);

}  // namespace nmfbench::drnmf
