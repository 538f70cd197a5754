#pragma once

// Sparse NMF analysis with fixed context bases (paper 001, eqs. 2-4): the activations of
// each context frame by multiplicative updates, and the on-line Wiener-like reconstruction
// of the current (last) frame of each window.

#include <vector>

#include "methods/deepnmf/layer.hpp"

namespace nmfbench::deepnmf {

// H^0: a constant start whose reconstruction W~ H^0 has M's mean (the updates are
// multiplicative, so any positive start works; a constant one keeps runs reproducible).
Array initial_activations(const Array& wt, const Array& m);

// D_beta(M | max(W~ H, flr)) + mu sum(H), the objective the updates never increase.
Real analysis_objective(const Array& wt, const Array& m, const Array& h, Real beta, Real mu);

// The mixture's time-frequency masks P^l / Q of the current frame (eq. 4 with W~'s last
// `bins` rows when the bases have context; eq. 9's output layer otherwise).
std::vector<Array> current_frame_masks(const Array& output_bases, const Array& h,
                                       const std::vector<int>& sizes);

// Each mask applied to the mixture (its phase kept).
std::vector<ComplexArray> masked_sources(const std::vector<Array>& masks,
                                         const ComplexArray& mixture);

}  // namespace nmfbench::deepnmf
