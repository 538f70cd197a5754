#pragma once

#include <vector>

#include "core/random.hpp"

namespace nmfbench::data {

// A guitar-like lick of `seconds` by plucked-string (Karplus-Strong) synthesis: notes from a
// pentatonic scale in the guitar's range with varied timing, decay and pick position,
// overlapping as strings ring on. Peak level 0.5.
Signal plucked_lick(RandomStream& rng, int sample_rate, Real seconds);

// A synthetic talker for the source-filter model: pitch range and formant scale.
struct Voice {
  Real f0_low = 90, f0_high = 140;  // Hz
  Real formant_scale = 1;           // 1 adult-male-like vowels; ~1.17 for a higher voice
};

// A talker drawn from `rng`: a higher voice (f0 from 170-200 up to 240-290 Hz, formants
// scaled by 1.12-1.22) or a lower one (f0 from 85-100 up to 125-150 Hz, formants 0.95-1.03).
Voice random_voice(RandomStream& rng, bool higher);

// Speech-like audio from a source-filter model: glottal pulses with a moving pitch contour
// through a cascade of three formant resonators that glide between vowels, unvoiced
// (noise-excited) segments and short pauses between syllable groups. Peak level 0.5.
Signal synthetic_speech(RandomStream& rng, const Voice& voice, int sample_rate, Real seconds);

// Non-stationary noises of `seconds` (the same length as synthetic_speech's), peak level 0.5.
// Babble: every voice talking at once, each at its own level.
Signal babble_noise(RandomStream& rng, const std::vector<Voice>& voices, int sample_rate,
                    Real seconds);
// Music-like tones: overlapping harmonic notes from a scale whose pitch glides and vibrates.
Signal music_noise(RandomStream& rng, int sample_rate, Real seconds);
// An appliance hum: 50 or 60 Hz and its harmonics with a motor's rustle, switching on and off.
Signal hum_noise(RandomStream& rng, int sample_rate, Real seconds);
// Clatter: short decaying bursts, some ringing like struck crockery, at random times.
Signal clatter_noise(RandomStream& rng, int sample_rate, Real seconds);

}  // namespace nmfbench::data
