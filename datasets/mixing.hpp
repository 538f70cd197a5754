#pragma once

#include "core/random.hpp"
#include "core/stft.hpp"

namespace nmfbench::data {

// Paper 000's impulsive noise: an STFT whose power is log-normal (log-power ~ N(0, sigma^2),
// sigma = 4 by default) with uniform phase, turned into a waveform by the experiment's iSTFT.
struct ImpulsiveNoise {
  ComplexArray spectrum;  // as drawn, before the iSTFT
  Signal waveform;
};
ImpulsiveNoise impulsive_noise(Eigen::Index length, const Stft& stft, RandomStream& rng,
                               Real sigma = 4);

Signal white_noise(Eigen::Index length, RandomStream& rng);

// A segment of `length` samples of a noise recording from a random offset, looped if short.
Signal noise_segment(const Signal& recording, Eigen::Index length, RandomStream& rng);

struct Mixture {
  Signal mixture;
  std::vector<Signal> sources;  // as they sit in the mixture (the references to score against)
};

// clean + noise scaled so that 10 log10(|clean|^2 / |noise|^2) = snr_db over the whole signal.
Mixture mix_at_snr(const Signal& clean, const Signal& noise, Real snr_db);

// The sum of sources, each scaled to the first's energy plus levels_db[i] (0 dB: equal).
// Sources shorter than the longest are zero-padded.
Mixture mix_sources(const std::vector<Signal>& sources, const std::vector<Real>& levels_db = {});

}  // namespace nmfbench::data
