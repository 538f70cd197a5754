#pragma once

// The DNN baseline of paper 001 (sec. 3.2) as a function on the tape: K - 1 tanh layers and a
// logistic output of F units, a time-frequency mask y, and the signal-approximation loss of
// eq. 11, E = sum_{f,t} (y m' - s)^2 (a sum, no 1/2). Weights are out x in, as in the
// reference (../shared/reference/deepnmf, case dnn_small).

#include <string>
#include <vector>

#include "core/autodiff/tape.hpp"
#include "core/optim/parameters.hpp"
#include "core/random.hpp"

namespace nmfbench::deepnmf {

// Hidden widths from a topology name "LxN" (L layers of N units) such as Table 1's "3x256".
// Throws Error naming `owner` for anything else.
std::vector<int> parse_topology(const std::string& name, const std::string& owner);

// W1, b1, ..., WK, bK for inputs of `inputs` rows, Glorot-uniform weights and zero biases.
ParameterSet make_mask_network(int inputs, const std::vector<int>& hidden, int outputs,
                               RandomStream& rng);
int layer_count(const ParameterSet& network);

// y for standardised features x (inputs x T).
ad::Var mask(const std::map<std::string, ad::Var>& network, int layers, const ad::Var& x);
// Eq. 11 for the mask y, the mixture's current frames m' and the speech magnitudes s.
ad::Var signal_approximation(const ad::Var& y, const Array& current, const Array& speech);

}  // namespace nmfbench::deepnmf
