#pragma once

#include "core/stft.hpp"
#include "datasets/mixing.hpp"
#include "experiments/spec.hpp"

namespace nmfbench::exp {

// Scores one cell's estimates against its references, checkpoint by checkpoint: SI-SDR and
// its improvement over the mixture for every estimated source, BSS Eval v3 SDR, SIR, SAR and
// the SDR improvement where the spec asks for them (with STOI and ESTOI when it asks for
// those too), and the mean of each over the scored
// sources (the roles the spec names; the noise of speech enhancement is estimated but not
// scored).
//
// A method estimates the first sources of the mixture (denoising: the clean signal, not the
// noise). BSS Eval sees the whole mixture: the sources left unestimated are one more
// reference and the rest of the mixture one more estimate, so that SIR measures how much of
// them is left in the estimates.
class CellScorer {
 public:
  // `roles`: those of the example's sources; sources the experiment added (noise) interfere.
  CellScorer(const data::Mixture& mix, std::vector<data::Role> roles, const ScoringSpec& scoring);

  // One curve point: {"iteration", "si_sdr", "si_sdr_imp", "mean_si_sdr_imp", ["sdr", "sir",
  // "sar", "sdr_imp", ["stoi", "estoi"]], "scored": {metric: mean over the scored sources}}.
  Json score(int iteration, const std::vector<Signal>& estimates, bool bss_eval) const;
  // Whether the spec asks for BSS Eval at this iteration.
  bool bss_eval_at(int iteration) const;

 private:
  // The references BSS Eval sees for `count` estimated sources, and the estimates completed
  // the same way.
  std::vector<Signal> bss_references(std::size_t count) const;
  std::vector<Signal> bss_estimates(const std::vector<Signal>& estimates) const;

  const data::Mixture& mix_;
  std::vector<bool> scored_;
  std::vector<int> bss_eval_at_;
  bool stoi_;
  int sample_rate_;
  std::vector<Real> input_si_sdr_;
  mutable std::vector<Real> input_sdr_;  // the mixture's SDR, computed on first use
};

}  // namespace nmfbench::exp
