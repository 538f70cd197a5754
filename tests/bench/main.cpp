#include <benchmark/benchmark.h>

#include "core/allocator.hpp"

// The benchmarks measure what the nmfbench program runs, allocator settings included.
int main(int argc, char** argv) {
  nmfbench::keep_large_blocks_in_heap();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
