#include <csignal>
#include <iostream>

#include "experiments/cli/verbs.hpp"
#include "experiments/runner.hpp"
#include "results/results.hpp"

namespace nmfbench::cli {
namespace {

std::atomic<bool> interrupted{false};
extern "C" void on_interrupt(int) {
  interrupted = true;
}

std::pair<int, int> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  if (slash != std::string::npos) {
    const auto i = parse_integer(text.substr(0, slash)), n = parse_integer(text.substr(slash + 1));
    if (i && n && *n >= 1 && *i >= 0 && *i < *n) return {*i, *n};
  }
  throw UsageError{"--shard expects i/n with 0 <= i < n, got '" + text + "'"};
}

int run(const Args& args) {
  const exp::ExperimentSpec spec = exp::read_spec(args.get("spec"));
  exp::RunOptions options;
  options.out = args.get("out");
  options.threads = args.get_int("threads");
  if (options.threads < 0) throw UsageError{"--threads expects 0 (all cores) or a positive count"};
  options.wait_for_lock = args.has("wait-lock");
  std::tie(options.shard, options.shards) = parse_shard(args.get("shard"));
  if (args.has("trained")) options.trained = args.get("trained");
  options.train_only = args.has("train-only");
  options.progress = true;
  options.cancel = &interrupted;
  std::signal(SIGINT, on_interrupt);
  const exp::RunSummary s = exp::run_experiment(spec, options);
  std::signal(SIGINT, SIG_DFL);
  if (options.train_only && !s.cancelled) {
    std::cerr << spec.name << ": split training " << (s.failed ? "failed" : "done") << "\n";
    return s.failed > 0 ? kExitFailure : kExitOk;
  }
  std::cerr << spec.name << ": " << s.cells << " cells, " << s.ran << " run, " << s.skipped
            << " already done, " << s.failed << " failed, " << s.wall_seconds << " s\n";
  if (s.cancelled) {
    std::cerr << "interrupted: finished cells are kept; run the same command again to resume\n";
    return kExitInterrupted;
  }
  if (!s.results.empty()) {
    std::cout << "results: " << s.results.string() << "\n\n"
              << results::render_tables(results::read_results(s.results.string()), "md");
  }
  return s.failed > 0 ? kExitCellsFailed : kExitOk;
}

int table(const Args& args) {
  const Json results = results::read_results(args.get("results"));
  if (args.has("per-cell")) {
    if (args.get("format") != "csv") throw UsageError{"--per-cell writes CSV: give --format csv"};
    std::cout << results::render_cells_csv(results);
    return kExitOk;
  }
  std::cout << results::render_tables(results, args.get("format"));
  return kExitOk;
}

int merge(const Args& args) {
  const exp::ExperimentSpec spec = exp::read_spec(args.get("spec"));
  std::vector<std::filesystem::path> dirs;
  for (const auto& d : args.get_list("shards")) {
    const std::filesystem::path cells =
        std::filesystem::path(d) / spec.name / ("cells-" + exp::cell_identity(spec));
    if (!std::filesystem::is_directory(cells))
      throw Error("merge: '" + cells.string() + "' is not a shard of this spec");
    dirs.push_back(cells);
  }
  std::vector<std::filesystem::path> trained;
  if (args.has("trained")) {
    trained.push_back(args.get("trained"));
    if (!std::filesystem::is_directory(trained.front()))
      throw Error("merge: --trained '" + trained.front().string() + "' is not a folder");
  }
  const auto out = exp::assemble_results(
      spec, dirs, std::filesystem::path(args.get("out")) / spec.name / "results.json",
      {{"merged_shards", dirs.size()}}, trained);
  std::cout << "results: " << out.string() << "\n";
  return kExitOk;
}

}  // namespace

Verb run_verb() {
  return {
      "run",
      "SPEC [--threads N] [--shard i/n] [--out DIR] [--trained DIR] [--train-only] [--wait-lock]",
      "Run an experiment spec: every cell in parallel, finished cells kept (rerun to resume), "
      "then results JSON and "
      "tables. Exit 3 when some cells failed, 130 when interrupted.",
      [](Args& a) {
        a.positional("spec", "the experiment spec (JSON)")
            .option("threads", "N", "worker threads, 0 for all cores", "0")
            .option("shard", "i/n", "run only the cells with index % n == i", "0/1")
            .option("out", "DIR", "output folder; results go to DIR/<spec name>/", "out")
            .option("trained", "DIR",
                    "the trained-state cache, shared by shards on a cluster (default: "
                    "DIR/<spec name>/trained/ of --out)")
            .flag("train-only", "only train the methods trained on a split, into the cache")
            .flag("wait-lock",
                  "when another run is using DIR/<spec name>/, wait for it to finish (without "
                  "this flag the run exits with an error)");
      },
      run};
}

Verb table_verb() {
  return {"table", "RESULTS [--format md|latex|csv] [--per-cell]",
          "Print the tables of a results JSON, or one CSV row per cell.",
          [](Args& a) {
            a.positional("results", "a results.json written by nmfbench run")
                .option("format", "FORMAT", "md, latex or csv", "md")
                .flag("per-cell",
                      "one row per cell with its labels and final metrics (with --format csv)");
          },
          table};
}

Verb merge_verb() {
  return {"merge", "--spec SPEC --shards DIR [DIR ...] [--out DIR] [--trained DIR]",
          "Join the cells of shard runs (--shard i/n) into the results a single run gives.",
          [](Args& a) {
            a.option("spec", "SPEC", "the spec the shards ran")
                .list("shards", "DIR", "the --out folders of the shard runs")
                .option("out", "DIR", "output folder", "out")
                .option("trained", "DIR",
                        "the trained-state cache the shards shared (default: trained/ beside "
                        "each shard's cells)");
          },
          merge};
}

}  // namespace nmfbench::cli
