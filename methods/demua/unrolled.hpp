#pragma once

// DeMUA's stacks (paper 000, Fig. 1): the multiplicative updates of eqs. (6) and (7) with
// zeta = exp(Phi(r)), unrolled so that a loss on their output can be differentiated with
// respect to Phi's parameters.
//
// Stacks that are not back-propagated through (the first T - L of a truncated pass) run on
// ComplexNmfSolver, the classic methods' own update code, with Phi::model() as its model.
// Recorded stacks put each update on the tape as one node that keeps only its inputs (W and
// H, a few hundred kB) and recomputes the rest in its backward pass, so the tape of L stacks
// costs O(L (M + N) K) memory, not O(L M N).

#include "core/autodiff/tape.hpp"
#include "methods/demua/phi.hpp"
#include "methods/nmf/complex_nmf.hpp"

namespace nmfbench::demua {

// The observed power spectrogram, with its transpose for the H update (the H update of
// y ~ W H is the W update of y^T ~ H^T W^T).
struct Observation {
  explicit Observation(Array power) : y(std::move(power)), y_t(y.transpose()) {}
  Array y, y_t;
};

// Eq. (6) on the tape: W * ((zeta r / yhat) H^T) / ((1 / yhat) H^T), yhat = W H, r = y / yhat.
// Its backward pass adds d loss / d theta into `theta_grad`.
ad::Var update_w(const Observation& y, const ad::Var& w, const ad::Var& h, const Phi& phi,
                 PhiGradient& theta_grad);
// Eq. (7) on the tape: H * (W^T (zeta r / yhat)) / (W^T (1 / yhat)).
ad::Var update_h(const Observation& y, const ad::Var& w, const ad::Var& h, const Phi& phi,
                 PhiGradient& theta_grad);

// One stack (eqs. 6, 7 and 9) on the tape.
void recorded_stack(const Observation& y, ad::Var& w, ad::Var& h, const Phi& phi,
                    nmf::Normalization placement, PhiGradient& theta_grad);

// T stacks from (w, h), the last `recorded` of them on the tape (truncated back-propagation);
// returns the final W and H as Vars of `tape`.
struct Factors {
  ad::Var w, h;
};
Factors run_stacks(ad::Tape& tape, const Observation& y, Array w, Array h, const Phi& phi,
                   nmf::Normalization placement, int stacks, int recorded, PhiGradient& theta_grad);

}  // namespace nmfbench::demua
