#pragma once

// What sparse NMF and deep NMF share as methods: the learnt context bases W_bar, their
// parameters and their part of the state.

#include "methods/deepnmf/dictionary.hpp"

namespace nmfbench::deepnmf {

class ContextBases {
 public:
  ContextBases(const ParameterValues& p, std::string owner)
      : options_(dictionary_options(p)), owner_(std::move(owner)) {}

  void learn(const TrainingSet& data, RunContext& context) {
    w_bar_ = learn_context_bases(data, options_, context, owner_);
  }
  // W_bar; throws Error when nothing was learnt or loaded, or the bases do not fit a
  // spectrogram of `bins` rows.
  const Array& bases(Eigen::Index bins) const;
  const DictionaryOptions& options() const { return options_; }
  // R of every source.
  std::vector<int> sizes() const;
  // F, the rows of one frame of the bases (0 before they are learnt).
  Eigen::Index frame_bins() const { return w_bar_.rows() / options_.context; }

  Json to_json() const;
  void from_json(const Json& state);

 private:
  DictionaryOptions options_;
  std::string owner_;
  Array w_bar_;
};

}  // namespace nmfbench::deepnmf
