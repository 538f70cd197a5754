#pragma once

#include <benchmark/benchmark.h>
#include <sys/resource.h>

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

// The process's peak resident set so far as a counter: meaningful for the first benchmark a
// process runs (--benchmark_filter one case), as the reference scripts' fresh process per row.
inline void report_peak_rss(benchmark::State& state) {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  state.counters["peak_rss_MB"] = static_cast<double>(usage.ru_maxrss) / 1024;
}

}  // namespace nmfbench
