#pragma once

#include "methods/method.hpp"

namespace nmfbench::drnmf {

// dr_nmf: the deep recurrent NMF network (paper 003, sec. 4) initialised from the sparse NMF
// dictionaries of steps 1-2 and trained end to end on the training split (step 4); a
// feed-forward method: one estimate, the speech mask applied to the mixture.
MethodRegistration drnmf_registration();

// lstm_mask: paper 003's LSTM baseline, trained the same way from random weights.
MethodRegistration lstm_registration();

}  // namespace nmfbench::drnmf
