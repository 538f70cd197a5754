#pragma once

#include "methods/method.hpp"

namespace nmfbench::deepnmf {

// Deep NMF (paper 001, secs. 2 and 3.4): sparse NMF's analysis unfolded into K layers whose
// last C bases are untied, single-frame and trained end to end on the training split by
// multiplicative back-propagation (eq. 10) through the shared training loop.
MethodRegistration deep_nmf_registration();

}  // namespace nmfbench::deepnmf
