// Every input the fuzzers found a fault with, kept under tests/fuzz/regressions/<target>/, and
// the seed corpora, replayed through the same targets: each must be accepted or rejected with
// an Error (the sanitizer build in CI also checks memory and undefined behaviour).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "tests/fuzz/targets.hpp"

namespace nmfbench::fuzz {
namespace {

namespace fs = std::filesystem;

TEST(FuzzRegressions, EveryKeptInputIsHandled) {
  const fs::path root = fs::path(NMFBENCH_SOURCE_DIR) / "tests" / "fuzz";
  int replayed = 0;
  for (const auto& target : targets()) {
    for (const char* kind : {"regressions", "corpus"}) {
      const fs::path dir = root / kind / target.name;
      if (!fs::is_directory(dir)) continue;
      for (const auto& entry : fs::directory_iterator(dir)) {
        std::ifstream in(entry.path(), std::ios::binary);
        const std::string bytes{std::istreambuf_iterator<char>(in), {}};
        SCOPED_TRACE(entry.path().string());
        EXPECT_NO_THROW(
            target.run(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
        ++replayed;
      }
    }
  }
  EXPECT_GT(replayed, 0);
}

}  // namespace
}  // namespace nmfbench::fuzz
