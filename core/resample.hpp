#pragma once

#include "core/audio_io.hpp"

namespace nmfbench {

// Band-limited sample-rate conversion (libsamplerate's best sinc converter, about 97 dB
// SNR). The output has round(n * to / from) samples; the same rate returns the input as is.
Audio resample(const Audio& audio, int target_rate);

}  // namespace nmfbench
