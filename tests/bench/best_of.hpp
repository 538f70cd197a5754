#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <vector>

namespace nmfbench {

// Adds "min" to the statistics of --benchmark_repetitions: on a shared machine the fastest
// repetition is the least disturbed one, and the reference timing scripts report their best
// repeat too.
inline void report_best_of_repetitions(benchmark::internal::Benchmark* b) {
  b->ComputeStatistics("min", [](const std::vector<double>& times) {
    return *std::min_element(times.begin(), times.end());
  });
}

}  // namespace nmfbench
