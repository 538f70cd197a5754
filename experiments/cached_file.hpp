#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace nmfbench::exp {

// Whether `path` holds a usable cached result (a finished cell, a trained model): false when
// there is none, or when `check` (which reads it) throws Error, naming the file. An unusable file,
// such as one truncated by a full disk before writes were checked, is renamed to "<path>.unusable"
// with a warning naming it and the reason, so that the caller computes it again and a later run
// does not trip over it.
bool usable_cached_file(const std::filesystem::path& path,
                        const std::function<void(const std::filesystem::path&)>& check);

}  // namespace nmfbench::exp
