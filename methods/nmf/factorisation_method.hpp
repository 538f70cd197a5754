#pragma once

#include "methods/method.hpp"

namespace nmfbench::nmf {

// The task flow every NMF-family method shares (paper 000, Algorithms 1 and 2), written once;
// a method supplies its updates.
//  denoise:  W, H from a seeded random start are fitted to the noisy spectrogram; the
//            estimate at each checkpoint is eq. (15): sqrt(yhat / y) applied to Y.
//  separate: fit() learns W_l on each source's training spectrogram for train_iterations;
//            run() fits the activations of [W_1 ... W_L] to the mixture with the bases fixed
//            and reconstructs each source with the Wiener-style mask of eq. (17).
// Models see |X|^exponent (2: power, 1: magnitude).
class FactorisationMethod : public Method {
 public:
  FactorisationMethod(Eigen::Index components, int train_iterations, Real exponent);

  void fit(const std::vector<ComplexArray>& training_sources, RunContext& context) override;
  void run(Task task, const ComplexArray& mixture, RunContext& context) override;
  Json save_state() const override;
  void load_state(const Json& state) override;

 protected:
  Eigen::Index components() const { return components_; }
  int train_iterations() const { return train_iterations_; }
  // W with unit column sums and H scaled to the data's mean level, drawn from `rng`.
  void random_start(const Array& v, Array& w, Array& h, RandomStream rng) const;
  // Random activations for bases w, scaled so that the model starts at the data's mean level.
  Array random_activations(const Array& v, const Array& w, RandomStream& rng) const;

  // One iteration updating both factors, and one updating H with W fixed.
  virtual void iterate(const Array& v, Array& w, Array& h) = 0;
  virtual void iterate_h(const Array& v, const Array& w, Array& h) = 0;
  // The bases the model multiplies H with (normalised for sparse NMF).
  virtual Array model_bases(const Array& w) const { return w; }

 private:
  void denoise(const ComplexArray& mixture, RunContext& context);
  void separate(const ComplexArray& mixture, RunContext& context);
  void report_factors(const RunContext& context, const Array& w, const Array& h) const;

  Eigen::Index components_;
  int train_iterations_;
  Real exponent_;
  std::vector<Array> source_bases_;  // learnt by fit(), one M x K matrix per source
};

// Calls step() for iterations 1..last checkpoint and report(t) at t = 0 (if asked) and at
// every checkpoint; stops early when the context is cancelled.
void run_checkpoints(const RunContext& context, const std::function<void()>& step,
                     const std::function<void(int)>& report);

}  // namespace nmfbench::nmf
