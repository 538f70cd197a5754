#pragma once

// The losses DeMUA is trained on, for one example, with their gradients with respect to Phi's
// parameters (paper 000, secs. III-C and III-D).

#include "methods/demua/phi.hpp"
#include "methods/method.hpp"
#include "methods/nmf/complex_nmf.hpp"

namespace nmfbench::demua {

// The unrolled network's depth and truncation.
struct Unrolling {
  int stacks = 300;    // T (denoise) or T1 (the separation's training stage)
  int recorded = 100;  // L: back-propagation is truncated to the last L stacks
  int separation_stacks = 100, separation_recorded = 50;  // T2 and its truncation
  nmf::Normalization placement = nmf::Normalization::after_w;
};

// A starting point for W and H (or U) given the data it is fitted to.
using Initialiser = std::function<void(const Array& y, Array& w, Array& h)>;
using ActivationInitialiser = std::function<Array(const Array& y, const Array& w)>;

struct LossAndGradient {
  Real loss = 0;
  PhiGradient gradient;
};

// Algorithm 1: T stacks on |Y|^2 from `init`, the estimate of eq. (15), its iSTFT and
// M_a (eq. 16) against the clean reference.
LossAndGradient denoise_loss(const Phi& phi, const Stft& stft, const TrainingItem& item,
                             const Unrolling& unrolling, const Initialiser& init);

// Algorithm 2: bases learnt by T1 stacks on each source's training audio, activations by T2
// stacks on the mixture with the bases fixed, eq. (17), and M_b (eq. 18). Gradients flow
// through both stages.
LossAndGradient separation_loss(const Phi& phi, const Stft& stft, const TrainingItem& item,
                                const Unrolling& unrolling, const Initialiser& init,
                                const ActivationInitialiser& init_activations);

}  // namespace nmfbench::demua
