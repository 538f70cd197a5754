// One libFuzzer binary per target: NMFBENCH_FUZZ_TARGET names the function (targets.hpp).
#include "tests/fuzz/targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  nmfbench::fuzz::NMFBENCH_FUZZ_TARGET(data, size);
  return 0;
}
