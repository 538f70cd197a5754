#pragma once

#include <cstddef>
#include <cstdint>

namespace nmfbench {

// 64-bit FNV-1a: a stable, platform-independent hash for random-stream keys and cache keys
// (not for security).
inline std::uint64_t fnv1a(const void* data, std::size_t size) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) {
    h ^= bytes[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace nmfbench
