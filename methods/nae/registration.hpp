#pragma once

#include "methods/method.hpp"

namespace nmfbench::nae {

// nae: the shallow and deep non-negative autoencoders of paper 002 (eqs. 3-10).
MethodRegistration nae_registration();
// conv_nae: the convolutional NAE of paper 004 (eqs. 6-8), separating as paper 002 does.
MethodRegistration conv_nae_registration();
// conv_nmf: convolutive KL NMF (paper 004, eq. 3; Smaragdis 2004), its classic baseline.
MethodRegistration conv_nmf_registration();

}  // namespace nmfbench::nae
