#include "core/random.hpp"

#include <gtest/gtest.h>
#include <tbb/parallel_for.h>

#include <set>

namespace nmfbench {
namespace {

std::vector<Real> draw(std::uint64_t seed, const std::string& key, int n) {
  RandomStream r(seed, key);
  std::vector<Real> out;
  for (int i = 0; i < n; ++i) out.push_back(i % 2 ? r.normal() : r.uniform());
  return out;
}

TEST(RandomStream, SameSeedAndKeyGiveTheSameNumbers) {
  EXPECT_EQ(draw(42, "cell/a", 100), draw(42, "cell/a", 100));
  EXPECT_NE(draw(42, "cell/a", 100), draw(42, "cell/b", 100));
  EXPECT_NE(draw(42, "cell/a", 100), draw(43, "cell/a", 100));
}

TEST(RandomStream, IndependentOfThreadAndOrder) {
  std::vector<std::string> keys;
  for (int i = 0; i < 64; ++i)
    keys.push_back("example" + std::to_string(i) + "/init" + std::to_string(i % 5));
  std::vector<std::vector<Real>> serial;
  for (const auto& k : keys) serial.push_back(draw(7, k, 50));
  std::vector<std::vector<Real>> parallel(keys.size());
  tbb::parallel_for(std::size_t(0), keys.size(), [&](std::size_t i) {
    const std::size_t j = keys.size() - 1 - i;  // the reverse order
    parallel[j] = draw(7, keys[j], 50);
  });
  EXPECT_EQ(serial, parallel);
}

TEST(RandomStream, DerivedStreamsAreStableAndDistinct) {
  const RandomStream root(1, "experiment");
  RandomStream a = root.derive("noise"), b = root.derive("noise"), c = root.derive("init");
  const auto x = a.next_u64();
  EXPECT_EQ(x, b.next_u64());
  EXPECT_NE(x, c.next_u64());
}

// Expected values from an independent Python transcription of the published algorithms
// (SplitMix64 seeding, FNV-1a key hash, xoshiro256**). Every stored result depends on these
// numbers: if this test fails, the generator changed and stored results must be regenerated.
TEST(RandomStream, GoldenValues) {
  RandomStream r(2024, "golden");
  EXPECT_EQ(r.next_u64(), 0x1a4401971b4aec08ULL);
  EXPECT_EQ(r.next_u64(), 0xcd11c2dc0dac924dULL);
}

TEST(RandomStream, DistributionsHaveTheRightMoments) {
  RandomStream r(5, "moments");
  const Array u = r.uniform_array(200000, 1);
  EXPECT_GE(u.minCoeff(), 0.0);
  EXPECT_LT(u.maxCoeff(), 1.0);
  EXPECT_NEAR(u.mean(), 0.5, 0.005);
  const Array g = r.normal_array(200000, 1);
  EXPECT_NEAR(g.mean(), 0.0, 0.01);
  EXPECT_NEAR((g - g.mean()).square().mean(), 1.0, 0.01);
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto v = r.below(7);
    EXPECT_LT(v, 7u);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_THROW(r.below(0), Error);
}

}  // namespace
}  // namespace nmfbench
