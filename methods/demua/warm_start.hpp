#pragma once

// A warm start for the network Phi, an extension beyond paper 000: instead of a random function
// (an untrained network separates at about -2.4 dB), the network starts as the t model's Phi
// with the configured nu, or as the Gaussian model's Phi = 0, so that training begins where
// the classic model is and the learned PDF (eq. 13) starts at the t density.

#include <string>

#include "methods/demua/phi.hpp"

namespace nmfbench::demua {

// The grid of x = log r the fit covers, the whole range of the network's spline, and the
// tolerance at each point: tight where the ratios y / yhat of spectrogram bins fall in the
// updates, loose beyond, where they are rare but must not meet a Phi that overflows zeta.
struct WarmStartGrid {
  Signal x, tolerance;
};
WarmStartGrid warm_start_grid();

// Moves the network's weights (from wherever they are) to minimise
// sum ((Phi(x) - target) / tolerance)^2 over the grid, by Levenberg-Marquardt; returns the
// largest |Phi(x) - target| / tolerance after the fit (below 1: a fit).
Real fit_network(NetworkPhi& network, const WarmStartGrid& grid, const Signal& target);

// Draws the network's weights from `rng` and, for `start` t, fits them to the t Phi with `nu`,
// or for gaussian to 0. A fit stuck in a local minimum (about one in three) starts again from
// a new draw of the same stream; throws Error if none of 8 fits.
void warm_start(NetworkPhi& network, const std::string& start, Real nu, const RandomStream& rng);

}  // namespace nmfbench::demua
