#include "datasets/audio_cache.hpp"

#include "core/resample.hpp"

namespace nmfbench::data {

std::shared_ptr<const Signal> AudioCache::get(const std::filesystem::path& path, int sample_rate) {
  return memo_.get({path.string(), sample_rate},
                   [&] { return resample(read_audio(path), sample_rate).samples; });
}

}  // namespace nmfbench::data
