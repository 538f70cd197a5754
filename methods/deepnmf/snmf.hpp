#pragma once

#include "methods/method.hpp"

namespace nmfbench::deepnmf {

// Sparse NMF with context bases (paper 001, sec. 3.3, eqs. 2-4): W_bar learnt per source on
// the training split's clean references, each mixture analysed by K multiplicative updates
// (the checkpoints) and the current frame of each window reconstructed by a Wiener-like mask.
MethodRegistration snmf_registration();

}  // namespace nmfbench::deepnmf
