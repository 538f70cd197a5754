#include "core/random.hpp"

#include "core/hash.hpp"

#include <cmath>
#include <numbers>

namespace nmfbench {
namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t combine(std::uint64_t identity, std::string_view key) {
  std::uint64_t mix = identity ^ fnv1a(key.data(), key.size());
  return splitmix64(mix);
}

std::uint64_t rotl(std::uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

}  // namespace

RandomStream::RandomStream(std::uint64_t identity) : identity_(identity) {
  std::uint64_t seeder = identity;
  for (auto& s : state_) s = splitmix64(seeder);
}

RandomStream::RandomStream(std::uint64_t seed, std::string_view key)
    : RandomStream(combine(splitmix64(seed), key)) {}

RandomStream RandomStream::derive(std::string_view key) const {
  return RandomStream(combine(identity_, key));
}

std::uint64_t RandomStream::next_u64() {
  const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

Real RandomStream::uniform() {
  return static_cast<Real>(next_u64() >> 11) * 0x1.0p-53;
}

Real RandomStream::uniform(Real low, Real high) {
  return low + (high - low) * uniform();
}

Real RandomStream::normal() {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return spare_normal_;
  }
  const Real u1 = 1 - uniform();  // (0, 1]: log stays finite
  const Real u2 = uniform();
  const Real radius = std::sqrt(-2 * std::log(u1));
  const Real angle = 2 * std::numbers::pi * u2;
  spare_normal_ = radius * std::sin(angle);
  has_spare_normal_ = true;
  return radius * std::cos(angle);
}

std::uint64_t RandomStream::below(std::uint64_t n) {
  if (n == 0) throw Error("RandomStream::below: n must be positive");
  const std::uint64_t limit = -n % n;  // 2^64 mod n: values below it would bias the result
  for (;;) {
    const std::uint64_t x = next_u64();
    if (x >= limit) return x % n;
  }
}

Array RandomStream::uniform_array(Eigen::Index rows, Eigen::Index cols, Real low, Real high) {
  Array a(rows, cols);
  for (Eigen::Index i = 0; i < a.size(); ++i) a.data()[i] = uniform(low, high);
  return a;
}

Array RandomStream::normal_array(Eigen::Index rows, Eigen::Index cols) {
  Array a(rows, cols);
  for (Eigen::Index i = 0; i < a.size(); ++i) a.data()[i] = normal();
  return a;
}

}  // namespace nmfbench
