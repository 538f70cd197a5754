#pragma once

#include <string>
#include <vector>

#include "methods/method.hpp"

namespace nmfbench::nae {

// What the per-source models of this family share (paper 002, sec. 3; paper 004): each source's
// model is learnt on the magnitude spectrogram of its training audio (fit); separation fits
// the models' activations to the mixture's magnitude with the learnt part fixed, reports at
// every checkpoint and reconstructs each source with eq. 10's mask, Xh_i / sum_j Xh_j, applied
// to the mixture's complex STFT (its phase).
class SourceModels : public Method {
 public:
  // `what` names the method in errors; every source's model is `arrays` learnt arrays.
  SourceModels(std::string what, std::size_t arrays) : what_(std::move(what)), arrays_(arrays) {}
  void fit(const std::vector<ComplexArray>& training_sources, RunContext& context) override;
  void run(Task task, const ComplexArray& mixture, RunContext& context) override;
  // {"sources": [the arrays of each source's model, as a ParameterSet W0, W1, ..]}.
  Json save_state() const override;
  void load_state(const Json& state) override;

 protected:
  const std::vector<std::vector<Array>>& models() const { return models_; }
  // The learnt part of one source's model, from its magnitude spectrogram x.
  virtual std::vector<Array> learn(const Array& x, RandomStream rng) const = 0;
  // Starts fitting the models to the mixture's magnitude x.
  virtual void start(const Array& x, RandomStream rng) = 0;
  virtual void step() = 0;
  // Each source's model of the mixture at the current fit.
  virtual std::vector<Array> estimates() const = 0;
  // What the single-example figure draws: every source's bases side by side (F x K) and the
  // fitted activations (K x N).
  virtual std::pair<Array, Array> factors() const = 0;

 private:
  std::string what_;
  std::size_t arrays_;
  std::vector<std::vector<Array>> models_;
};

// Eq. 10: the mixture times Xh_i / sum_j Xh_j, for every i (no epsilon: softplus models are
// positive).
std::vector<ComplexArray> masked_sources(const ComplexArray& mixture,
                                         const std::vector<Array>& estimates);

}  // namespace nmfbench::nae
