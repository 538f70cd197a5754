#pragma once

#include <atomic>
#include <filesystem>

#include "datasets/dataset.hpp"
#include "experiments/spec.hpp"

namespace nmfbench::exp {

// One evaluation: a method configuration on one example with one noise draw and one
// initialisation. Its key is stable, and every seed derives from (spec seed, key parts).
struct Cell {
  std::size_t index = 0;  // position in the canonical order
  std::string key;        // "<label>|<split>|<example>|d<draw>|i<init>"
  std::size_t method = 0;
  std::string split, example;
  int draw = 0, init = 0;
};

// The cells of a spec in canonical order: methods, splits, examples, draws, initialisations.
std::vector<Cell> expand_cells(const ExperimentSpec& spec);
// The same with the spec's dataset already open (opening one can walk a corpus folder).
std::vector<Cell> expand_cells(const ExperimentSpec& spec, const data::Dataset& dataset);

struct RunOptions {
  std::filesystem::path out;  // results go to out/<spec name>/
  int threads = 0;            // 0: all cores
  int shard = 0, shards = 1;  // run cells with index % shards == shard
  // The trained-state cache; empty: out/<name>/trained. Shards on a cluster share one.
  std::filesystem::path trained;
  bool train_only = false;  // stop after the split training (a cluster's training job)
  bool progress = false;    // a progress bar on stderr
  // Another run holding out/<name>/: wait for it (true) or throw Error saying so (false).
  bool wait_for_lock = false;
  const std::atomic<bool>* cancel = nullptr;
};

struct RunSummary {
  std::size_t cells = 0, ran = 0, skipped = 0, failed = 0;
  bool cancelled = false;
  double wall_seconds = 0;
  std::filesystem::path results;  // the results JSON, when the run completed its cells
};

// Runs the spec's cells in parallel, holding an exclusive lock on out/<name>/. Each finished
// cell is written atomically to out/<name>/cells-<cell_identity>/<hash>.json, so a killed run
// loses only the cells in flight and a rerun skips finished ones (an unreadable cell file is
// set aside and computed again). A cell whose metrics are not finite is recorded as failed. A
// failing cell is recorded with its error. When every cell (of this shard) is done,
// out/<name>/results.json is assembled from the cell files.
RunSummary run_experiment(const ExperimentSpec& spec, const RunOptions& options);

// One cell run again exactly as the sweep ran it, for a close look (the single-example
// figure): its record, the spectrograms of the mixture and of each source's reference and
// estimate (at the last checkpoint), and the factorisation behind the estimates.
struct CellView {
  Json record;  // equal to the sweep's record of the cell, but for its runtime
  ComplexArray mixture;
  Eigen::Index samples = 0;  // the mixture's length
  std::vector<ComplexArray> references, estimates;
  Array bases, activations;  // empty for methods that factorise nothing
};

// Replays cell `key` of the spec. Trained state is read from `trained_dir` (a run's trained/
// folder); what is missing there is trained into it first, as the run would have.
CellView replay_cell(const ExperimentSpec& spec, const std::string& key,
                     const std::filesystem::path& trained_dir, bool progress);

// Assembles results.json from the cell files of one or more run folders (shards) of a spec.
// What the methods learnt is read from `trained_dirs`, by default trained/ beside each cell
// folder.
std::filesystem::path assemble_results(const ExperimentSpec& spec,
                                       const std::vector<std::filesystem::path>& cell_dirs,
                                       const std::filesystem::path& out, const Json& run_info,
                                       std::vector<std::filesystem::path> trained_dirs = {});

}  // namespace nmfbench::exp
