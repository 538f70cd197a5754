#pragma once

// The sparse NMF dictionaries learnt on a training split (paper 003, sec. 4, steps 1-2):
// speech bases on the clean speech, then noise bases on the noisy speech with the speech
// bases held. They are ISTA's and SNMF's dictionary and DR-NMF's initialisation.

#include "methods/drnmf/sparse_nmf.hpp"
#include "methods/method.hpp"

namespace nmfbench::drnmf {

struct DictionaryOptions {
  Eigen::Index speech = 100, noise = 100;  // Ny, Nv
  SparseNmfOptions nmf;                    // first_updated is set by each step
};

// The magnitudes |X| of the mixture and |S| of the first reference (the speech) of every
// example of a split, each F x frames.
struct Magnitudes {
  std::vector<Array> mixture, speech;
};
Magnitudes split_magnitudes(const TrainingSet& set, RandomStream& rng);

// F x (Ny + Nv), unit columns, speech first; the random starts come from a stream derived
// from `rng`, which is left as it is. Identical inputs in one process are learnt once.
Array learn_dictionaries(const Magnitudes& data, const DictionaryOptions& options,
                         const RandomStream& rng,
                         const std::function<void(const std::string&)>& log);

// The options' shared schema entries: speech_components, noise_components, sparsity,
// snmf_iterations and conv_eps.
std::vector<ParameterSpec> dictionary_parameters();
DictionaryOptions dictionary_options(const ParameterValues& p);

// The dictionary as state JSON, and back (throws Error naming `owner` and the field).
Json dictionary_to_json(const Array& w, Eigen::Index speech);
Array dictionary_from_json(const Json& state, const std::string& owner, Eigen::Index& speech);

}  // namespace nmfbench::drnmf
