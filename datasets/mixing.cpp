#include "datasets/mixing.hpp"

#include <cmath>
#include <numbers>

namespace nmfbench::data {
namespace {

Real energy(const Signal& x) {
  return x.square().sum();
}

}  // namespace

ImpulsiveNoise impulsive_noise(Eigen::Index length, const Stft& stft, RandomStream& rng,
                               Real sigma) {
  ComplexArray spectrum(stft.bins(), stft.frames(length));
  for (Eigen::Index i = 0; i < spectrum.size(); ++i) {
    const Real magnitude = std::exp(0.5 * sigma * rng.normal());  // sqrt of a log-normal power
    spectrum.data()[i] = std::polar(magnitude, 2 * std::numbers::pi * rng.uniform());
  }
  Signal waveform = stft.inverse(spectrum, length);
  return {std::move(spectrum), std::move(waveform)};
}

Signal white_noise(Eigen::Index length, RandomStream& rng) {
  return rng.normal_array(length, 1).col(0);
}

Signal noise_segment(const Signal& recording, Eigen::Index length, RandomStream& rng) {
  if (recording.size() == 0) throw Error("noise recording is empty");
  const auto offset =
      static_cast<Eigen::Index>(rng.below(static_cast<std::uint64_t>(recording.size())));
  Signal out(length);
  for (Eigen::Index i = 0; i < length; ++i) out[i] = recording[(offset + i) % recording.size()];
  return out;
}

Mixture mix_at_snr(const Signal& clean, const Signal& noise, Real snr_db) {
  if (clean.size() != noise.size()) {
    throw Error("mixing: the clean signal has " + std::to_string(clean.size()) +
                " samples, the noise " + std::to_string(noise.size()));
  }
  if (energy(clean) == 0) throw Error("mixing: the clean signal is silent");
  if (energy(noise) == 0) throw Error("mixing: the noise is silent");
  if (!std::isfinite(snr_db)) throw Error("mixing: the SNR must be finite");
  const Signal scaled =
      noise * std::sqrt(energy(clean) / energy(noise) / std::pow(10.0, snr_db / 10));
  return {clean + scaled, {clean, scaled}};
}

Mixture mix_sources(const std::vector<Signal>& sources, const std::vector<Real>& levels_db) {
  if (sources.empty()) throw Error("mixing: no sources");
  if (!levels_db.empty() && levels_db.size() != sources.size()) {
    throw Error("mixing: " + std::to_string(levels_db.size()) + " levels for " +
                std::to_string(sources.size()) + " sources");
  }
  Eigen::Index length = 0;
  for (const auto& s : sources) length = std::max(length, s.size());
  const Real reference = energy(sources[0]);
  Mixture out{Signal::Zero(length), {}};
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (energy(sources[i]) == 0) throw Error("mixing: source " + std::to_string(i) + " is silent");
    const Real level = levels_db.empty() ? 0 : levels_db[i];
    Signal s = Signal::Zero(length);
    s.head(sources[i].size()) =
        sources[i] * std::sqrt(reference / energy(sources[i]) * std::pow(10.0, level / 10));
    out.mixture += s;
    out.sources.push_back(std::move(s));
  }
  return out;
}

}  // namespace nmfbench::data
