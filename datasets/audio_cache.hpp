#pragma once

#include <filesystem>

#include "core/types.hpp"
#include "datasets/memo.hpp"

namespace nmfbench::data {

// Audio files read and resampled once per run, shared between threads and cells.
class AudioCache {
 public:
  std::shared_ptr<const Signal> get(const std::filesystem::path& path, int sample_rate);

 private:
  Memo<std::pair<std::string, int>, Signal> memo_;
};

}  // namespace nmfbench::data
