#pragma once

#include <gtest/gtest.h>

#include "experiments/runner.hpp"
#include "results/results.hpp"

namespace nmfbench::exp {

// Runs a spec into `out` on `threads` threads, expects no failed cell, and reads the results.
inline Json run_and_read(const Json& spec, const std::filesystem::path& out, int threads) {
  RunOptions options;
  options.out = out;
  options.threads = threads;
  const RunSummary summary = run_experiment(parse_spec(spec), options);
  EXPECT_EQ(summary.failed, 0u);
  return results::read_results(summary.results.string());
}

}  // namespace nmfbench::exp
