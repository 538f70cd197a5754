#pragma once

#include <string_view>
#include <vector>

#include "core/types.hpp"

namespace nmfbench::nae {

// Convolutive NMF with the KL divergence (paper 004, eq. 3; Smaragdis 2004):
//   Lambda = sum_{t<T} W_t H^{t->},  D(V | Lambda) = sum V log(V / Lambda) - V + Lambda,
// where A^{t->} shifts the columns right by t (zeros in the first t) and A^{<-t} left.
// W_t is F x r (W[t](f, i) is the paper's W_i(t, f)), H is r x N. No normalisation and no
// epsilon: V > 0 keeps every quantity positive.
//
// H rules, with R = V / Lambda:
//  - sum (the exact majorise-minimise step, monotone):
//      H <- H * (sum_t W_t^T R^{<-t}) / (sum_t W_t^T 1^{<-t});
//  - average (Smaragdis' per-shift rule averaged over t, as public implementations do; it
//    shrinks the last T-1 columns and is not monotone):
//      H <- (1/T) sum_t H * (W_t^T R^{<-t}) / (W_t^T 1).
// The W rule, with Lambda and R recomputed after the H update:
//      W_t <- W_t * (R (H^{t->})^T) / (1 (H^{t->})^T).
enum class HRule { sum, average };
HRule parse_h_rule(std::string_view name);

using Bases = std::vector<Array>;  // W_0 .. W_{T-1}

Array conv_model(const Bases& w, const Array& h);
Real kl_cost(const Array& v, const Array& lambda);
void update_h(const Array& v, const Bases& w, Array& h, HRule rule);
void update_w(const Array& v, Bases& w, const Array& h);
// One iteration: H, then every W_t.
void iterate(const Array& v, Bases& w, Array& h, HRule rule);

}  // namespace nmfbench::nae
