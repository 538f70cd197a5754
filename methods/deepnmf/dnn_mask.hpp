#pragma once

#include "methods/method.hpp"

namespace nmfbench::deepnmf {

// The DNN baseline of paper 001 (sec. 3.2, eq. 11): a tanh network with a logistic mask on
// standardised log-magnitude context features, trained on the training split by SGD with
// momentum on the signal-approximation loss with Gaussian input noise, validation and early
// stopping from the shared loop; feed-forward.
MethodRegistration dnn_mask_registration();

}  // namespace nmfbench::deepnmf
