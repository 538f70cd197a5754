#pragma once

#include <cstdint>
#include <string_view>

#include "core/types.hpp"

namespace nmfbench {

// A deterministic random stream named by (experiment seed, key). The same pair gives the same
// numbers on any thread, in any order, on any run: sweep cells derive their streams from
// their own keys, never from thread order or a shared generator.
//
// The generator is xoshiro256** seeded through SplitMix64 from the seed and a 64-bit FNV-1a
// hash of the key. Distributions are implemented here rather than taken from <random>, whose
// normal_distribution differs between standard libraries.
class RandomStream {
 public:
  RandomStream(std::uint64_t seed, std::string_view key);

  // An independent stream for a sub-task, named by this stream's identity plus `key`.
  RandomStream derive(std::string_view key) const;

  std::uint64_t next_u64();
  Real uniform();                     // [0, 1)
  Real uniform(Real low, Real high);  // [low, high)
  Real normal();                      // standard normal, Box-Muller
  // Uniform integer in [0, n), without modulo bias.
  std::uint64_t below(std::uint64_t n);

  Array uniform_array(Eigen::Index rows, Eigen::Index cols, Real low = 0, Real high = 1);
  Array normal_array(Eigen::Index rows, Eigen::Index cols);

 private:
  explicit RandomStream(std::uint64_t identity);
  std::uint64_t identity_;
  std::uint64_t state_[4];
  bool has_spare_normal_ = false;
  Real spare_normal_ = 0;
};

}  // namespace nmfbench
