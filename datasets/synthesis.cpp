#include "datasets/synthesis.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <vector>

namespace nmfbench::data {
namespace {

constexpr Real kPi = std::numbers::pi;

Signal peak_normalised(Signal x) {
  const Real peak = x.abs().maxCoeff();
  return peak > 0 ? Signal(x * (0.5 / peak)) : x;
}

// Every generator's length for `seconds`, so speech and noise of one duration align.
Eigen::Index samples_in(Real seconds, int sample_rate) {
  return static_cast<Eigen::Index>(seconds * sample_rate);
}

// One plucked string: a noise burst shaped by the pick position circulating in a delay line
// whose loop filter (a two-point average times `decay`) damps high partials first.
void add_pluck(Signal& out, Eigen::Index start, Real frequency, Real decay, Real pick, Real gain,
               RandomStream& rng, int sample_rate) {
  const auto period = static_cast<Eigen::Index>(std::round(sample_rate / frequency));
  if (period < 2) return;
  std::vector<Real> line(static_cast<std::size_t>(period));
  for (auto& v : line) v = rng.uniform(-1, 1);
  // Plucking at a fraction `pick` of the string cancels the partials with a node there.
  const auto offset = std::max<Eigen::Index>(1, static_cast<Eigen::Index>(pick * period));
  std::vector<Real> shaped(line.size());
  for (Eigen::Index i = 0; i < period; ++i)
    shaped[i] = line[i] - line[(i + period - offset) % period];
  line = shaped;
  Real previous = 0;
  for (Eigen::Index n = 0; start + n < out.size(); ++n) {
    const auto at = static_cast<std::size_t>(n % period);
    const Real current = line[at];
    out[start + n] += gain * current;
    line[at] = decay * 0.5 * (current + previous);
    previous = current;
    if (n > 4 * sample_rate) break;  // the note has died away
  }
}

}  // namespace

Signal plucked_lick(RandomStream& rng, int sample_rate, Real seconds) {
  // E minor pentatonic over two and a half octaves from the low E string (82.4 Hz).
  constexpr std::array<int, 5> kSteps = {0, 3, 5, 7, 10};
  const auto length = samples_in(seconds, sample_rate);
  Signal out = Signal::Zero(length);
  const Real beat = rng.uniform(0.18, 0.4);  // seconds per note on average: the lick's tempo
  Real t = rng.uniform(0, 0.1);
  while (t < seconds - 0.3) {
    const int semitones = 12 * static_cast<int>(rng.below(3)) + kSteps[rng.below(kSteps.size())];
    const Real frequency = 82.41 * std::pow(2.0, (semitones + 12 * rng.below(2)) / 12.0);
    add_pluck(out, static_cast<Eigen::Index>(t * sample_rate), frequency, rng.uniform(0.990, 0.998),
              rng.uniform(0.08, 0.35), rng.uniform(0.5, 1.0), rng, sample_rate);
    t += beat * rng.uniform(0.5, 1.5);
  }
  return peak_normalised(out);
}

namespace {

// Vowel formants F1-F3 (Hz) of an adult male voice (Peterson & Barney averages).
constexpr std::array<std::array<Real, 3>, 6> kVowels = {{{730, 1090, 2440},
                                                         {530, 1840, 2480},
                                                         {270, 2290, 3010},
                                                         {570, 840, 2410},
                                                         {300, 870, 2240},
                                                         {660, 1720, 2410}}};
constexpr std::array<Real, 3> kBandwidths = {80, 100, 150};

// A two-pole resonator whose centre frequency may change every sample.
struct Resonator {
  Real y1 = 0, y2 = 0;
  Real step(Real x, Real frequency, Real bandwidth, int rate) {
    const Real r = std::exp(-kPi * bandwidth / rate);
    const Real a1 = 2 * r * std::cos(2 * kPi * frequency / rate), a2 = -r * r;
    const Real y = (1 - r) * x + a1 * y1 + a2 * y2;
    y2 = y1;
    y1 = y;
    return y;
  }
};

}  // namespace

Voice random_voice(RandomStream& rng, bool higher) {
  if (higher) return {rng.uniform(170, 200), rng.uniform(240, 290), rng.uniform(1.12, 1.22)};
  return {rng.uniform(85, 100), rng.uniform(125, 150), rng.uniform(0.95, 1.03)};
}

Signal synthetic_speech(RandomStream& rng, const Voice& voice, int sample_rate, Real seconds) {
  const auto length = samples_in(seconds, sample_rate);
  Signal out = Signal::Zero(length);
  std::array<Resonator, 3> tract;
  Real phase = 0, tilt = 0;
  const Real nyquist_margin = 0.45 * sample_rate;
  Eigen::Index n = 0;
  std::array<Real, 3> current = kVowels[rng.below(kVowels.size())];
  while (n < length) {
    // A syllable: voiced (vowel glide) or unvoiced (fricative-like noise), then maybe a pause.
    const bool voiced = rng.uniform() < 0.75;
    const auto duration = static_cast<Eigen::Index>(rng.uniform(0.12, 0.35) * sample_rate);
    const std::array<Real, 3> target = kVowels[rng.below(kVowels.size())];
    const Real f0_start = rng.uniform(voice.f0_low, voice.f0_high);
    const Real f0_end = std::clamp(f0_start * rng.uniform(0.85, 1.15), voice.f0_low, voice.f0_high);
    for (Eigen::Index i = 0; i < duration && n < length; ++i, ++n) {
      const Real progress = static_cast<Real>(i) / duration;
      const Real envelope = std::sin(kPi * progress);
      Real excitation;
      if (voiced) {
        const Real f0 = f0_start + (f0_end - f0_start) * progress;
        phase += f0 / sample_rate;
        // A pulse per glottal cycle, low-passed into a -12 dB/octave glottal spectrum.
        const Real pulse = phase >= 1 ? 1.0 : 0.0;
        if (phase >= 1) phase -= 1;
        tilt = 0.97 * tilt + pulse;
        excitation = tilt + 0.02 * rng.normal();
      } else {
        excitation = 0.3 * rng.normal();
      }
      Real y = excitation;
      for (std::size_t k = 0; k < tract.size(); ++k) {
        const Real f =
            std::min(voice.formant_scale * (current[k] + (target[k] - current[k]) * progress),
                     nyquist_margin);
        y = tract[k].step(y, f, kBandwidths[k] * voice.formant_scale, sample_rate);
      }
      out[n] = envelope * y;
    }
    current = target;
    if (rng.uniform() < 0.25) n += static_cast<Eigen::Index>(rng.uniform(0.05, 0.25) * sample_rate);
  }
  return peak_normalised(out);
}

Signal babble_noise(RandomStream& rng, const std::vector<Voice>& voices, int sample_rate,
                    Real seconds) {
  Signal out = Signal::Zero(samples_in(seconds, sample_rate));
  for (std::size_t i = 0; i < voices.size(); ++i) {
    RandomStream talker = rng.derive("talker" + std::to_string(i));
    const Real gain = talker.uniform(0.4, 1);
    out += gain * synthetic_speech(talker, voices[i], sample_rate, seconds);
  }
  return peak_normalised(out);
}

Signal music_noise(RandomStream& rng, int sample_rate, Real seconds) {
  // A major scale over two octaves from A3 (220 Hz); two or three lines play at once.
  constexpr std::array<int, 7> kScale = {0, 2, 4, 5, 7, 9, 11};
  auto note = [&] {
    return 220 * std::pow(2.0, (kScale[rng.below(kScale.size())] + 12 * rng.below(2)) / 12.0);
  };
  const auto length = samples_in(seconds, sample_rate);
  Signal out = Signal::Zero(length);
  const auto lines = 2 + rng.below(2);
  for (std::uint64_t line = 0; line < lines; ++line) {
    const Real brightness = rng.uniform(0.3, 0.8);  // how slowly the harmonics fall off
    Real t = rng.uniform(0, 0.3), frequency = note();
    while (t < seconds) {
      const Real duration = rng.uniform(0.15, 0.6), decay = rng.uniform(0.2, 0.8);
      // Some notes slide into the next one.
      const Real next = note(), slide = rng.uniform() < 0.3 ? next / frequency : 1.0;
      const auto start = samples_in(t, sample_rate);
      const auto end = std::min(length, samples_in(t + duration, sample_rate));
      Real phase = 0;
      for (Eigen::Index n = start; n < end; ++n) {
        const Real progress = static_cast<Real>(n - start) / (end - start);
        const Real age = static_cast<Real>(n - start) / sample_rate;
        const Real f = frequency * (1 + (slide - 1) * progress) *
                       (1 + 0.006 * std::sin(2 * kPi * 5.5 * n / sample_rate));
        phase = std::fmod(phase + f / sample_rate, 1.0);
        Real y = 0, amplitude = 1;
        for (int k = 1; k * f < 0.45 * sample_rate && k <= 6; ++k, amplitude *= brightness)
          y += amplitude * std::sin(2 * kPi * std::fmod(k * phase, 1.0));
        out[n] += std::min(1.0, age / 0.01) * std::exp(-age / decay) * y;
      }
      t += duration;
      frequency = next;
    }
  }
  return peak_normalised(out);
}

Signal hum_noise(RandomStream& rng, int sample_rate, Real seconds) {
  const auto length = samples_in(seconds, sample_rate);
  const Real mains = rng.uniform() < 0.5 ? 50 : 60;
  std::array<Real, 8> amplitude, offset;
  for (std::size_t k = 0; k < amplitude.size(); ++k) {
    // A transformer hums loudest at twice the mains frequency.
    amplitude[k] = rng.uniform(0.2, 1) / (k == 1 ? 0.5 : k + 1);
    offset[k] = rng.uniform(0, 2 * kPi);
  }
  // On for 0.6-1.5 s, off for 0.3-0.9 s, with 15 ms ramps; the segment starts switched on.
  Signal gate = Signal::Zero(length);
  const Real ramp = 0.015 * sample_rate;
  for (Real t = -rng.uniform(0, 0.5); t < seconds;) {
    const Real on = rng.uniform(0.6, 1.5);
    const Real from = t * sample_rate, to = (t + on) * sample_rate;
    for (auto n = std::max<Eigen::Index>(0, static_cast<Eigen::Index>(std::ceil(from)));
         n < length && n < to; ++n)
      gate[n] = std::min({1.0, (n - from) / ramp, (to - n) / ramp});
    t += on + rng.uniform(0.3, 0.9);
  }
  Signal out(length);
  Real rustle = 0;
  for (Eigen::Index n = 0; n < length; ++n) {
    Real y = 0;
    for (std::size_t k = 0; k < amplitude.size(); ++k)
      y += amplitude[k] * std::sin(2 * kPi * (k + 1) * mains * n / sample_rate + offset[k]);
    rustle = 0.9 * rustle + 0.1 * rng.normal();
    out[n] = gate[n] * (y + 0.3 * rustle);
  }
  return peak_normalised(out);
}

Signal clatter_noise(RandomStream& rng, int sample_rate, Real seconds) {
  const auto length = samples_in(seconds, sample_rate);
  Signal out = Signal::Zero(length);
  for (Real t = rng.uniform(0, 0.3); t < seconds; t += rng.uniform(0.05, 0.5)) {
    const auto start = samples_in(t, sample_rate);
    const Real gain = rng.uniform(0.2, 1), decay = rng.uniform(0.003, 0.03);
    // Half the bursts ring at a resonance, like a struck plate or glass.
    const bool rings = rng.uniform() < 0.5;
    const Real ring = rng.uniform(900, std::min(3000.0, 0.4 * sample_rate));
    const Real ring_decay = rng.uniform(0.02, 0.08);
    const auto span = samples_in(5 * std::max(decay, rings ? ring_decay : 0.0), sample_rate);
    for (Eigen::Index n = 0; n < span && start + n < length; ++n) {
      const Real age = static_cast<Real>(n) / sample_rate;
      Real x = std::exp(-age / decay) * rng.normal();
      if (rings) x += 0.7 * std::exp(-age / ring_decay) * std::sin(2 * kPi * ring * age);
      out[start + n] += gain * x;
    }
  }
  return peak_normalised(out);
}

}  // namespace nmfbench::data
