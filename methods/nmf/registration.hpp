#pragma once

#include "methods/method.hpp"

namespace nmfbench::nmf {

// Paper 000's complex-PDF NMF (Gaussian/IS, Student's t, generalised Gaussian).
MethodRegistration complex_nmf_registration();
// Beta-divergence NMF with an L1 penalty; sparse NMF with normalised bases (papers 001, 003).
MethodRegistration beta_nmf_registration();

}  // namespace nmfbench::nmf
