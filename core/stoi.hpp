#pragma once

#include "core/types.hpp"

namespace nmfbench {

// Short-time objective intelligibility (Taal, Hendriks, Heusdens & Jensen, 2011) and its
// extended form ESTOI (Jensen & Taal, 2016), computed exactly as pystoi 0.4.1 does:
//  - both signals resampled to 10 kHz with pystoi's Octave-compatible polyphase filter
//    (Kaiser-windowed sinc, 60 dB rejection) unless already at 10 kHz;
//  - frames of 256 samples (Hann, hop 128) whose clean energy is more than 40 dB below the
//    loudest frame are dropped from both, the rest overlap-added back;
//  - a 512-point DFT of the same frames, 15 third-octave bands from 150 Hz, segments of 30
//    frames; STOI clips the processed envelope at -15 dB SDR and averages the correlations,
//    ESTOI averages the spectral correlations of row- and column-normalised segments.
// Like pystoi, frames start at 0, 128, ... while start < length - 256 (the last possible
// frame is dropped when length - 256 is a multiple of 128), and a signal that keeps fewer
// than 30 frames scores 1e-5. Throws Error if the lengths differ, a signal is not finite or
// shorter than one frame at 10 kHz, or the sample rate is not positive.
Real stoi(const Signal& clean, const Signal& processed, int sample_rate, bool extended = false);

// The Octave-compatible resampler pystoi uses (its `resample_oct`, on top of SciPy's
// resample_poly): ceil(n * to / from) samples.
Signal resample_octave(const Signal& x, int to_rate, int from_rate);

}  // namespace nmfbench
