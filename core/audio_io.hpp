#pragma once

#include <filesystem>

#include "core/types.hpp"

namespace nmfbench {

struct Audio {
  Signal samples;       // mono, full scale = 1.0
  int sample_rate = 0;  // Hz
};

// Channel rule: a mono file is read as it is; a stereo file is averaged to mono. Files with
// more channels are rejected unless `channel` picks one, because averaging a microphone array
// or a multitrack stem file is rarely what a separation benchmark means.
struct AudioReadOptions {
  int channel = -1;  // -1: the rule above; >= 0: keep only this channel
};

// Reads WAV, FLAC, NIST SPHERE and the other formats libsndfile knows. Throws Error naming
// the file and the reason: missing, unreadable, not audio, zero length, unsupported channels.
Audio read_audio(const std::filesystem::path& path, const AudioReadOptions& options = {});

enum class WavEncoding { pcm16, float32 };

// Writes a mono WAV. PCM16 clips to [-1, 1]; float32 keeps the values as they are.
void write_wav(const std::filesystem::path& path, const Audio& audio,
               WavEncoding encoding = WavEncoding::float32);

}  // namespace nmfbench
