#pragma once

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

// Speech-like audio from a source-filter model: glottal pulses with a moving pitch contour
// through a cascade of three formant resonators that glide between vowels, unvoiced
// (noise-excited) segments and short pauses between syllable groups. Peak level 0.5.
Signal synthetic_speech(RandomStream& rng, const Voice& voice, int sample_rate, Real seconds);

}  // namespace nmfbench::data
