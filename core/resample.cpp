#include "core/resample.hpp"

#include <samplerate.h>

#include <cmath>
#include <vector>

namespace nmfbench {

Audio resample(const Audio& audio, int target_rate) {
  if (target_rate <= 0 || audio.sample_rate <= 0) {
    throw Error("resample: sample rates must be positive, got " +
                std::to_string(audio.sample_rate) + " Hz -> " + std::to_string(target_rate) +
                " Hz");
  }
  if (target_rate == audio.sample_rate) return audio;

  const double ratio = static_cast<double>(target_rate) / audio.sample_rate;
  // Checked before the buffers are allocated: an absurd rate would ask for gigabytes first.
  if (!src_is_valid_ratio(ratio)) {
    throw Error("resample: " + std::to_string(audio.sample_rate) + " Hz -> " +
                std::to_string(target_rate) + " Hz is a ratio of " + std::to_string(ratio) +
                "; expected at most 256 either way");
  }
  const auto out_length = static_cast<long>(std::lround(audio.samples.size() * ratio));
  // libsamplerate works in float; its 97 dB conversion SNR is far below float precision.
  std::vector<float> in(audio.samples.data(), audio.samples.data() + audio.samples.size());
  std::vector<float> out(static_cast<size_t>(out_length) + 1);

  SRC_DATA data{};
  data.data_in = in.data();
  data.input_frames = static_cast<long>(in.size());
  data.data_out = out.data();
  data.output_frames = static_cast<long>(out.size());
  data.src_ratio = ratio;
  if (const int err = src_simple(&data, SRC_SINC_BEST_QUALITY, 1); err != 0) {
    throw Error(std::string("resample: ") + src_strerror(err));
  }
  Audio result;
  result.sample_rate = target_rate;
  result.samples = Signal::Zero(out_length);
  const long produced = std::min<long>(data.output_frames_gen, out_length);
  for (long i = 0; i < produced; ++i) result.samples[i] = out[static_cast<size_t>(i)];
  return result;
}

}  // namespace nmfbench
