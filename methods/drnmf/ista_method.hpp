#pragma once

#include "methods/method.hpp"

namespace nmfbench::drnmf {

// ista_nmf: sparse NMF inference with the dictionaries of paper 003's steps 1-2 (learnt on
// the training split), by ISTA (Alg. 1), warm-start ISTA (Alg. 2) or SNMF's multiplicative H
// updates, reporting the speech mask's estimates per iteration.
MethodRegistration ista_registration();

}  // namespace nmfbench::drnmf
