#pragma once

#include "methods/method.hpp"

namespace nmfbench::bin_gain {

// A per-frequency-bin gain g = sigmoid(theta) learnt on a training split, the smallest method
// trained end to end: the target's estimate is g |X| with the mixture's phase, the rest of
// the mixture (1 - g) X is the second source when separating. It is feed-forward, a sanity
// baseline (what a fixed equaliser achieves), and the worked example of README's "Adding a
// method".
MethodRegistration registration();

}  // namespace nmfbench::bin_gain
