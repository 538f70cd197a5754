#pragma once

#include <vector>

#include "core/types.hpp"

namespace nmfbench {

struct BssEvalResult {
  // Entry j scores estimate perm[j] against reference j, as mir_eval's bss_eval_sources.
  std::vector<Real> sdr, sir, sar;  // dB; SIR is +inf when there is no interferer
  std::vector<int> perm;
};

// BSS Eval v3 SDR/SIR/SAR (Vincent, Gribonval & Fevotte 2006) with time-invariant distortion
// filters of `filter_length` taps, numerically compatible with mir_eval 0.7
// `bss_eval_sources` (which fixes 512 taps). With `compute_permutation`, the estimate-to-
// reference assignment maximising the mean SIR is chosen (first maximum in lexicographic
// order, as mir_eval); without it estimate j is scored against reference j.
//
// mir_eval builds each projection in the time domain. Here only energies are formed: with
// D the correlations of the estimate with the delayed references and G their Gram matrix,
// |P e|^2 = D^T G^-1 D, and since the target subspace lies inside the all-sources subspace,
//   |s_target|^2 = |P_j e|^2,  |e_interf|^2 = |P_all e|^2 - |P_j e|^2,
//   |e_artif|^2 = |e|^2 - |P_all e|^2.
// G is factorised once per call and shared by every estimate, and no projection is ever
// synthesised, which is where the speed over mir_eval comes from.
BssEvalResult bss_eval_sources(const std::vector<Signal>& references,
                               const std::vector<Signal>& estimates,
                               bool compute_permutation = true, int filter_length = 512);

}  // namespace nmfbench
