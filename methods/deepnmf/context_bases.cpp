#include "methods/deepnmf/context_bases.hpp"

#include "core/optim/parameters.hpp"

namespace nmfbench::deepnmf {

const Array& ContextBases::bases(Eigen::Index bins) const {
  if (w_bar_.size() == 0) throw Error(owner_ + ": the context bases were never learnt");
  if (w_bar_.rows() != bins * options_.context)
    throw Error(owner_ + ": the context bases have " + std::to_string(w_bar_.rows()) +
                " rows, the spectrogram " + std::to_string(bins) + " bins x context " +
                std::to_string(options_.context));
  return w_bar_;
}

std::vector<int> ContextBases::sizes() const {
  return std::vector<int>(w_bar_.cols() / options_.rank, options_.rank);
}

Json ContextBases::to_json() const {
  ParameterSet set;
  set.add("W_bar", w_bar_);
  return set.to_json();
}

void ContextBases::from_json(const Json& state) {
  const ParameterSet set = ParameterSet::from_json(state);
  if (!set.contains("W_bar")) throw Error(owner_ + " state: expected the context bases 'W_bar'");
  const Array& w = set.value("W_bar");
  if (w.cols() == 0 || w.cols() % options_.rank != 0 || w.rows() % options_.context != 0)
    throw Error(owner_ + " state: 'W_bar' is " + std::to_string(w.rows()) + " x " +
                std::to_string(w.cols()) + ", expected context x F rows and rank per source");
  w_bar_ = w;
}

}  // namespace nmfbench::deepnmf
