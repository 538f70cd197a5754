#pragma once

// The fixed context bases W_bar of sparse NMF and deep NMF (paper 001, sec. 3.3): for each
// source, Le Roux et al.'s well-done sparse NMF (beta-divergence, l1 weight mu, unit-norm
// bases) of the context features of its clean references on the training split, started from
// exemplars (training frames drawn from the run's stream).

#include <string>

#include "methods/method.hpp"

namespace nmfbench::deepnmf {

struct DictionaryOptions {
  int rank = 100;     // R per source
  int context = 9;    // frames per feature column
  Real sparsity = 5;  // mu
  Real beta = 1;
  int iterations = 100;    // sparse NMF iterations per source
  int max_frames = 20000;  // frames per source kept for learning (a random subset beyond)
};

// W_bar (context * F x sources * R), the sources' blocks side by side in the split's
// reference order. Throws Error naming `owner` when a source has fewer non-silent frames than
// bases.
Array learn_context_bases(const TrainingSet& data, const DictionaryOptions& options,
                          RunContext& context, const std::string& owner);

// The options from the schema's `rank`, `context`, `sparsity`, `beta`,
// `dictionary_iterations` and `dictionary_frames`.
DictionaryOptions dictionary_options(const ParameterValues& parameters);
std::vector<ParameterSpec> dictionary_parameters(const DictionaryOptions& defaults);

}  // namespace nmfbench::deepnmf
