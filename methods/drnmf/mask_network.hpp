#pragma once

// A network that estimates the speech mask from the mixture's magnitudes, trained end to end
// on a split with the shared loop on sequences of at most max_frames frames (paper 003's
// DR-NMF and LSTM): what they share as methods.

#include <functional>

#include "core/optim/parameters.hpp"
#include "methods/drnmf/sequences.hpp"
#include "methods/method.hpp"
#include "methods/training_loop.hpp"

namespace nmfbench::drnmf {

struct MaskNetwork {
  std::string name;
  // The initial parameters, from the training data (DR-NMF's sparse NMF) or at random.
  std::function<ParameterSet(const TrainingData&, RunContext&)> initialise;
  std::function<Real(ParameterSet&, const SequenceBatch&, bool gradient)> loss;
  std::function<Array(const ParameterSet&, const SequenceBatch&)> mask;
  // Throws Error when loaded parameters are not this configuration's network.
  std::function<void(const ParameterSet&)> check;
};

std::unique_ptr<Method> make_mask_network_method(MaskNetwork network, Eigen::Index max_frames,
                                                 TrainingOptions training);

ParameterSpec max_frames_parameter();

}  // namespace nmfbench::drnmf
