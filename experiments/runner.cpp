#include "experiments/runner.hpp"

#include <tbb/global_control.h>
#include <tbb/parallel_for_each.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "core/metrics.hpp"
#include "datasets/dataset.hpp"
#include "datasets/mixing.hpp"
#include "methods/registry.hpp"
#include "results/results.hpp"

namespace nmfbench::exp {
namespace fs = std::filesystem;
namespace {

void write_atomically(const fs::path& path, const std::string& text) {
  const fs::path temporary =
      path.string() + ".tmp" +
      std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()));
  {
    std::ofstream out(temporary);
    out << text;
    if (!out) throw Error("cannot write '" + temporary.string() + "'");
  }
  fs::rename(temporary, path);  // atomic on POSIX: readers see the old file or the new one
}

fs::path cell_path(const fs::path& dir, const Cell& cell) {
  return dir / (content_hash(Json(cell.key)) + ".json");
}

data::DatasetOptions dataset_options(const ExperimentSpec& spec) {
  return {spec.root, spec.sample_rate, spec.dataset_options};
}

// The mixture of one cell and the references it is scored against.
data::Mixture make_mixture(const ExperimentSpec& spec, const data::Example& example,
                           const Stft& stft, const Cell& cell) {
  if (spec.task == Task::separate) {
    std::vector<Signal> sources;
    for (const auto& s : example.sources) sources.push_back(s.audio);
    return data::mix_sources(sources, spec.levels_db);
  }
  const Signal& clean = example.sources.at(0).audio;
  // The noise depends on the example and draw only, so every method sees the same mixture.
  RandomStream rng(spec.seed,
                   cell.split + "/" + cell.example + "/noise" + std::to_string(cell.draw));
  Signal noise;
  if (spec.noise == "impulsive")
    noise = data::impulsive_noise(clean.size(), stft, rng).waveform;
  else if (spec.noise == "white")
    noise = data::white_noise(clean.size(), rng);
  else if (!example.noise.empty())
    noise = data::noise_segment(example.noise[0], clean.size(), rng);
  else
    throw Error("the example has no noise recording, but spec.mixing.noise is \"dataset\"");
  return data::mix_at_snr(clean, noise, spec.snr_db);
}

// What a fit depends on: the method, its parameters, the training audio and the random stream.
std::string training_key(const MethodConfig& config, const ExperimentSpec& spec, const Cell& cell,
                         const data::Example& example) {
  Json key = {{"method", config.method},
              {"parameters", config.parameters},
              {"seed", spec.seed},
              {"stream", cell.split + "/" + cell.example + "/init" + std::to_string(cell.init)},
              {"sample_rate", example.sample_rate},
              {"stft", spec.source["stft"]},
              {"training", Json::array()}};
  for (const auto& t : example.training)
    key["training"].push_back(content_hash(t.data(), t.size() * sizeof(Real)));
  return content_hash(key);
}

// What every cell starts from: its example, the method with its random stream, and (for
// separation) the method trained on the example's training audio.
struct PreparedCell {
  data::Example example;
  std::unique_ptr<Method> method;
  RunContext context;
};

// Trained state is cached on disk by training_key, so the training phase, later runs (more
// checkpoints, a resumed sweep) and the evaluation cell share one fit.
PreparedCell prepare_cell(const ExperimentSpec& spec, const data::Dataset& dataset,
                          const Stft& stft, const Cell& cell, const std::atomic<bool>* cancel,
                          const fs::path& training_dir) {
  const MethodConfig& config = spec.methods[cell.method];
  PreparedCell p{dataset.load(cell.split, cell.example),
                 method_registry().make(config.method, spec.task, config.parameters),
                 // Initialisations are shared by every method, as in paper 000's protocol.
                 RunContext{RandomStream(spec.seed, cell.split + "/" + cell.example + "/init" +
                                                        std::to_string(cell.init)),
                            spec.checkpoints, nullptr, cancel}};
  if (spec.task != Task::separate) return p;
  const fs::path path = training_dir / (training_key(config, spec, cell, p.example) + ".json");
  if (fs::exists(path)) {
    p.method->load_state(read_json_file(path, "trained state"));
    return p;
  }
  std::vector<ComplexArray> training;
  for (const auto& t : p.example.training) training.push_back(stft.forward(t));
  p.method->fit(training, p.context);
  if (!p.context.cancelled()) write_atomically(path, p.method->save_state().dump() + "\n");
  return p;
}

Json run_cell(const ExperimentSpec& spec, const data::Dataset& dataset, const Cell& cell,
              const std::atomic<bool>* cancel, const fs::path& training_dir) {
  const auto start = std::chrono::steady_clock::now();
  const MethodConfig& config = spec.methods[cell.method];
  Json record = {{"key", cell.key},
                 {"method", config.label},
                 {"method_name", config.method},
                 {"parameters", config.parameters},
                 {"split", cell.split},
                 {"example", cell.example},
                 {"draw", cell.draw},
                 {"init", cell.init}};
  try {
    const Stft stft(spec.stft);
    PreparedCell prepared = prepare_cell(spec, dataset, stft, cell, cancel, training_dir);
    const data::Mixture mix = make_mixture(spec, prepared.example, stft, cell);
    RunContext& context = prepared.context;
    // The mixture's SI-SDR against each reference, the baseline of every improvement.
    std::vector<Real> input_si_sdr;
    for (const auto& source : mix.sources) input_si_sdr.push_back(si_sdr(source, mix.mixture));
    Json curve = Json::array();
    context.report = [&](int iteration, const std::vector<ComplexArray>& sources) {
      Json si_sdr_values = Json::array(), improvements = Json::array();
      Real mean = 0;
      for (std::size_t l = 0; l < sources.size(); ++l) {
        const Signal estimate = stft.inverse(sources[l], mix.mixture.size());
        if (!all_finite(estimate))
          throw Error("the estimate of source " + std::to_string(l) +
                      " is not finite at iteration " + std::to_string(iteration));
        const Real value = si_sdr(mix.sources[l], estimate);
        const Real imp = value - input_si_sdr[l];
        si_sdr_values.push_back(value);
        improvements.push_back(imp);
        mean += imp / static_cast<Real>(sources.size());
      }
      curve.push_back({{"iteration", iteration},
                       {"si_sdr", si_sdr_values},
                       {"si_sdr_imp", improvements},
                       {"mean_si_sdr_imp", mean}});
    };
    prepared.method->run(spec.task, stft.forward(mix.mixture), context);
    if (context.cancelled()) return nullptr;
    record["status"] = "ok";
    record["curve"] = curve;
    record["final"] = curve.back();
  } catch (const std::exception& e) {
    record["status"] = "failed";
    record["error"] = e.what();
  }
  record["runtime_s"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return record;
}

class Progress {
 public:
  Progress(bool enabled, std::size_t total)
      : enabled_(enabled && isatty(STDERR_FILENO)), total_(total) {}
  void update(std::size_t done, std::size_t failed) {
    if (!enabled_) return;
    std::lock_guard lock(mutex_);
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double eta =
        done ? elapsed / static_cast<double>(done) * static_cast<double>(total_ - done) : 0;
    const int width = 30, filled = total_ ? static_cast<int>(width * done / total_) : width;
    std::cerr << "\r[" << std::string(filled, '=') << std::string(width - filled, ' ') << "] "
              << done << "/" << total_ << " cells, " << failed << " failed, ETA "
              << static_cast<int>(eta) / 60 << "m" << static_cast<int>(eta) % 60 << "s   "
              << std::flush;
    if (done == total_) std::cerr << "\n";
  }

 private:
  bool enabled_;
  std::size_t total_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace

std::vector<Cell> expand_cells(const ExperimentSpec& spec) {
  return expand_cells(spec, *data::make_dataset(spec.loader, dataset_options(spec)));
}

std::vector<Cell> expand_cells(const ExperimentSpec& spec, const data::Dataset& dataset) {
  std::vector<Cell> cells;
  for (std::size_t m = 0; m < spec.methods.size(); ++m) {
    for (const auto& split : spec.splits) {
      auto ids = dataset.example_ids(split);
      if (spec.max_examples > 0 && static_cast<int>(ids.size()) > spec.max_examples)
        ids.resize(static_cast<std::size_t>(spec.max_examples));
      for (const auto& id : ids) {
        for (int d = 0; d < (spec.task == Task::denoise ? spec.noise_draws : 1); ++d) {
          for (int i = 0; i < spec.initialisations; ++i) {
            const std::string key = spec.methods[m].label + "|" + split + "|" + id + "|d" +
                                    std::to_string(d) + "|i" + std::to_string(i);
            cells.push_back({cells.size(), key, m, split, id, d, i});
          }
        }
      }
    }
  }
  return cells;
}

RunSummary run_experiment(const ExperimentSpec& spec, const RunOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  if (options.shards < 1 || options.shard < 0 || options.shard >= options.shards) {
    throw Error("--shard: expected i/n with 0 <= i < n");
  }
  const fs::path run_dir = options.out / spec.name;
  const fs::path cell_dir = run_dir / ("cells-" + content_hash(spec.source));
  fs::create_directories(cell_dir);
  fs::create_directories(run_dir / "trained");
  const auto dataset = data::make_dataset(spec.loader, dataset_options(spec));
  const std::vector<Cell> all = expand_cells(spec, *dataset);

  RunSummary summary;
  std::vector<Cell> pending;
  for (const Cell& c : all) {
    if (static_cast<int>(c.index % static_cast<std::size_t>(options.shards)) != options.shard)
      continue;
    ++summary.cells;
    if (fs::exists(cell_path(cell_dir, c)))
      ++summary.skipped;
    else
      pending.push_back(c);
  }
  const int threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
  Progress progress(options.progress, summary.cells);
  std::atomic<std::size_t> done{summary.skipped}, failed{0};
  progress.update(done, failed);
  if (spec.task == Task::separate) {
    // Training cells first: every fit the evaluation cells need lands in the cache. A fit that
    // fails is not recorded here; its evaluation cell meets the same error and records it.
    tbb::parallel_for_each(pending.begin(), pending.end(), [&](const Cell& cell) {
      if (options.cancel && options.cancel->load()) return;
      try {
        prepare_cell(spec, *dataset, Stft(spec.stft), cell, options.cancel, run_dir / "trained");
      } catch (const std::exception&) {
      }
    });
  }
  tbb::parallel_for_each(pending.begin(), pending.end(), [&](const Cell& cell) {
    if (options.cancel && options.cancel->load()) return;
    const Json record = run_cell(spec, *dataset, cell, options.cancel, run_dir / "trained");
    if (record.is_null()) return;  // cancelled in flight: not recorded
    if (record["status"] == "failed") ++failed;
    write_atomically(cell_path(cell_dir, cell), record.dump(1) + "\n");
    progress.update(++done, failed);
  });
  summary.ran = done - summary.skipped;
  summary.failed = failed;
  summary.cancelled = options.cancel && options.cancel->load();
  summary.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!summary.cancelled && options.shards == 1) {
    const Json run_info = {{"threads", threads}, {"wall_time_s", summary.wall_seconds}};
    summary.results = assemble_results(spec, {cell_dir}, run_dir / "results.json", run_info);
  }
  return summary;
}

fs::path assemble_results(const ExperimentSpec& spec, const std::vector<fs::path>& cell_dirs,
                          const fs::path& out, const Json& run_info) {
  const auto dataset = data::make_dataset(spec.loader, dataset_options(spec));
  Json records = Json::array();
  std::vector<std::string> missing;
  for (const Cell& cell : expand_cells(spec, *dataset)) {
    bool found = false;
    for (const auto& dir : cell_dirs) {
      const fs::path path = cell_path(dir, cell);
      if (!fs::exists(path)) continue;
      std::ifstream in(path);
      records.push_back(Json::parse(in));
      found = true;
      break;
    }
    if (!found) missing.push_back(cell.key);
  }
  if (!missing.empty()) {
    throw Error("results of " + std::to_string(missing.size()) + " cells are missing (first: " +
                missing.front() + "); run every shard before merging");
  }
  Json manifest =
      results::run_manifest(spec.source, content_hash(spec.source), dataset->stand_in());
  manifest["run"] = run_info;
  const Json document = results::make_results(manifest, records);
  fs::create_directories(out.parent_path());
  write_atomically(out, document.dump(1) + "\n");
  return out;
}

}  // namespace nmfbench::exp
