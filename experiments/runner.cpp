#include "experiments/runner.hpp"

#include <tbb/global_control.h>
#include <tbb/parallel_for_each.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "core/atomic_file.hpp"
#include "core/metrics.hpp"
#include "datasets/dataset.hpp"
#include "datasets/mixing.hpp"
#include "experiments/cached_file.hpp"
#include "experiments/model_file.hpp"
#include "experiments/run_lock.hpp"
#include "methods/registry.hpp"
#include "results/record_checks.hpp"
#include "results/results.hpp"

namespace nmfbench::exp {
namespace fs = std::filesystem;
namespace {

fs::path cell_path(const fs::path& dir, const Cell& cell) {
  return dir / (content_hash(Json(cell.key)) + ".json");
}

data::DatasetOptions dataset_options(const ExperimentSpec& spec) {
  return {spec.root, spec.sample_rate, spec.dataset_options};
}

// A mixture of an example and the references it is scored against; for denoising, with the
// noise drawn from `rng`.
data::Mixture draw_mixture(const ExperimentSpec& spec, const data::Example& example,
                           const Stft& stft, RandomStream rng) {
  if (spec.task == Task::separate) {
    std::vector<Signal> sources;
    for (const auto& s : example.sources) sources.push_back(s.audio);
    return data::mix_sources(sources, spec.levels_db);
  }
  const Signal& clean = example.sources.at(0).audio;
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

std::string audio_hash(const std::vector<Signal>& signals) {
  std::string hashes;
  for (const auto& s : signals) hashes += content_hash(s.data(), s.size() * sizeof(Real));
  return hashes;
}

// What one run shares across its cells.
struct Sweep {
  const ExperimentSpec& spec;
  const data::Dataset& dataset;
  fs::path trained_dir;
  // Per method configuration: the key of its split-trained state ("" if it trains on none).
  std::vector<std::string> split_keys;
  const std::atomic<bool>* cancel;
  bool progress;
  // Per method configuration: why its training on the split failed ("" if it did not).
  std::vector<std::string> split_failures = std::vector<std::string>(split_keys.size());
};

// What a split training depends on: the method, its parameters, the seed, the task set-up and
// the training split's audio.
std::string split_training_key(const ExperimentSpec& spec, const data::Dataset& dataset,
                               const MethodConfig& config) {
  Json key = {{"method", config.method},
              {"parameters", config.parameters},
              {"seed", spec.seed},
              {"task", to_string(spec.task)},
              {"loader", spec.loader},
              {"split", spec.training_split},
              {"sample_rate", spec.sample_rate},
              {"dataset_options", spec.dataset_options},
              {"mixing", spec.source.value("mixing", Json::object())},
              {"stft", spec.source["stft"]},
              {"examples", Json::array()}};
  for (const auto& id : dataset.example_ids(spec.training_split)) {
    const data::Example example = dataset.load(spec.training_split, id);
    std::vector<Signal> audio = example.training;
    for (const auto& s : example.sources) audio.push_back(s.audio);
    key["examples"].push_back({id, audio_hash(audio)});
  }
  return content_hash(key);
}

// Trains one method configuration on the training split (DeMUA) unless its state is cached.
void train_on_split(const Sweep& sweep, std::size_t config_index) {
  const ExperimentSpec& spec = sweep.spec;
  const MethodConfig& config = spec.methods[config_index];
  const fs::path path = sweep.trained_dir / (sweep.split_keys[config_index] + ".json");
  if (usable_cached_file(path, read_model_state)) return;
  const Stft stft(spec.stft);
  const std::vector<std::string> ids = sweep.dataset.example_ids(spec.training_split);
  const TrainingSet data{
      &stft, ids.size(), [&](std::size_t index, RandomStream& rng) {
        const data::Example example = sweep.dataset.load(spec.training_split, ids.at(index));
        data::Mixture mix = draw_mixture(spec, example, stft, rng.derive("mix"));
        return TrainingItem{std::move(mix.mixture), std::move(mix.sources), example.training};
      }};
  auto method = method_registry().make(config.method, spec.task, config.parameters);
  RunContext context{
      RandomStream(spec.seed, "train/" + spec.training_split), {}, nullptr, sweep.cancel};
  if (sweep.progress)
    context.log = [&](const std::string& line) {
      std::cerr << config.label << ": " << line << "\n";
    };
  method->train(spec.task, data, context);
  if (!context.cancelled())
    write_atomically(path, model_document(spec, config, method->save_state()).dump() + "\n");
}

// The split-trained state of a configuration, loaded into `method`.
void load_split_state(const Sweep& sweep, std::size_t config_index, Method& method) {
  if (sweep.split_keys[config_index].empty()) return;
  const fs::path path = sweep.trained_dir / (sweep.split_keys[config_index] + ".json");
  if (!fs::exists(path)) {
    const std::string& failure = sweep.split_failures[config_index];
    throw Error(
        "the method was not trained on split '" + sweep.spec.training_split + "': " +
        (failure.empty() ? "its training was interrupted" : "its training failed: " + failure));
  }
  method.load_state(read_model_state(path));
}

// What a per-example fit depends on: the method, its parameters, its split-trained state, the
// training audio and the random stream.
std::string training_key(const Sweep& sweep, const Cell& cell, const data::Example& example) {
  const MethodConfig& config = sweep.spec.methods[cell.method];
  const Json key = {
      {"method", config.method},
      {"parameters", config.parameters},
      {"split_training", sweep.split_keys[cell.method]},
      {"seed", sweep.spec.seed},
      {"stream", cell.split + "/" + cell.example + "/init" + std::to_string(cell.init)},
      {"sample_rate", example.sample_rate},
      {"stft", sweep.spec.source["stft"]},
      {"training", audio_hash(example.training)}};
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
PreparedCell prepare_cell(const Sweep& sweep, const Stft& stft, const Cell& cell) {
  const ExperimentSpec& spec = sweep.spec;
  const MethodConfig& config = spec.methods[cell.method];
  PreparedCell p{sweep.dataset.load(cell.split, cell.example),
                 method_registry().make(config.method, spec.task, config.parameters),
                 // Initialisations are shared by every method, as in paper 000's protocol.
                 RunContext{RandomStream(spec.seed, cell.split + "/" + cell.example + "/init" +
                                                        std::to_string(cell.init)),
                            spec.checkpoints, nullptr, sweep.cancel, nullptr}};
  load_split_state(sweep, cell.method, *p.method);
  if (spec.task != Task::separate) return p;
  const fs::path path = sweep.trained_dir / (training_key(sweep, cell, p.example) + ".json");
  if (usable_cached_file(path, read_model_state)) {
    p.method->load_state(read_model_state(path));
    return p;
  }
  std::vector<ComplexArray> training;
  for (const auto& t : p.example.training) training.push_back(stft.forward(t));
  p.method->fit(training, p.context);
  if (!p.context.cancelled())
    write_atomically(path, model_document(spec, config, p.method->save_state()).dump() + "\n");
  return p;
}

// Runs one cell and returns its record; `view`, when given, also receives what the cell saw
// and estimated.
Json run_cell(const Sweep& sweep, const Cell& cell, CellView* view = nullptr) {
  const ExperimentSpec& spec = sweep.spec;
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
    PreparedCell prepared = prepare_cell(sweep, stft, cell);
    // The noise depends on the example and draw only, so every method sees the same mixture.
    const data::Mixture mix =
        draw_mixture(spec, prepared.example, stft,
                     RandomStream(spec.seed, cell.split + "/" + cell.example + "/noise" +
                                                 std::to_string(cell.draw)));
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
      if (view) view->estimates = sources;  // the last checkpoint's stay
      curve.push_back({{"iteration", iteration},
                       {"si_sdr", si_sdr_values},
                       {"si_sdr_imp", improvements},
                       {"mean_si_sdr_imp", mean}});
    };
    const ComplexArray mixture = stft.forward(mix.mixture);
    if (view) {
      view->mixture = mixture;
      context.factors = [view](const Array& bases, const Array& activations) {
        view->bases = bases;
        view->activations = activations;
      };
    }
    prepared.method->run(spec.task, mixture, context);
    if (context.cancelled()) return nullptr;
    // The scored references: denoising's mixture also holds the noise, which is not scored.
    for (std::size_t l = 0; view && l < view->estimates.size(); ++l)
      view->references.push_back(stft.forward(mix.sources[l]));
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
  const fs::path cell_dir = run_dir / ("cells-" + cell_identity(spec));
  fs::create_directories(cell_dir);
  RunSummary summary;
  const RunLock lock(run_dir, options.wait_for_lock ? RunLock::Mode::wait : RunLock::Mode::fail,
                     options.cancel);
  summary.cancelled = !lock.held();  // interrupted while waiting for another run
  if (summary.cancelled) return summary;
  fs::create_directories(run_dir / "trained");
  const auto dataset = data::make_dataset(spec.loader, dataset_options(spec));
  const std::vector<Cell> all = expand_cells(spec, *dataset);

  std::vector<Cell> pending;
  for (const Cell& c : all) {
    if (static_cast<int>(c.index % static_cast<std::size_t>(options.shards)) != options.shard)
      continue;
    ++summary.cells;
    if (usable_cached_file(cell_path(cell_dir, c), results::read_record))
      ++summary.skipped;
    else
      pending.push_back(c);
  }
  const int threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
  Sweep sweep{spec,
              *dataset,
              run_dir / "trained",
              std::vector<std::string>(spec.methods.size()),
              options.cancel,
              options.progress};
  std::vector<std::size_t> split_trained;
  for (std::size_t m = 0; m < spec.methods.size(); ++m) {
    if (!spec.methods[m].trains_on_split) continue;
    sweep.split_keys[m] = split_training_key(spec, *dataset, spec.methods[m]);
    split_trained.push_back(m);
  }
  // Methods trained on a split first, each once; a training that fails is not recorded here:
  // the cells of its method meet the missing state and record why.
  tbb::parallel_for_each(split_trained.begin(), split_trained.end(), [&](std::size_t m) {
    if (options.cancel && options.cancel->load()) return;
    try {
      train_on_split(sweep, m);
    } catch (const std::exception& e) {
      sweep.split_failures[m] = e.what();  // one slot per configuration: no lock needed
    }
  });
  for (std::size_t m : split_trained) {
    if (!sweep.split_failures[m].empty())
      std::cerr << "training failed: " << spec.methods[m].label << ": " << sweep.split_failures[m]
                << "\n";
  }
  Progress progress(options.progress, summary.cells);
  std::atomic<std::size_t> done{summary.skipped}, failed{0};
  progress.update(done, failed);
  if (spec.task == Task::separate) {
    // Per-example fits next: every fit the evaluation cells need lands in the cache. A fit that
    // fails is not recorded here; its evaluation cell meets the same error and records it.
    tbb::parallel_for_each(pending.begin(), pending.end(), [&](const Cell& cell) {
      if (options.cancel && options.cancel->load()) return;
      try {
        prepare_cell(sweep, Stft(spec.stft), cell);
      } catch (const std::exception&) {
      }
    });
  }
  tbb::parallel_for_each(pending.begin(), pending.end(), [&](const Cell& cell) {
    if (options.cancel && options.cancel->load()) return;
    const Json record = results::with_finite_metrics(run_cell(sweep, cell));
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

CellView replay_cell(const ExperimentSpec& spec, const std::string& key,
                     const fs::path& trained_dir, bool progress) {
  const auto dataset = data::make_dataset(spec.loader, dataset_options(spec));
  const std::vector<Cell> cells = expand_cells(spec, *dataset);
  const auto cell =
      std::find_if(cells.begin(), cells.end(), [&](const Cell& c) { return c.key == key; });
  if (cell == cells.end()) {
    throw Error("spec '" + spec.name + "' has no cell '" + key + "' (keys look like '" +
                cells.front().key + "')");
  }
  fs::create_directories(trained_dir);
  Sweep sweep{spec,    *dataset, trained_dir, std::vector<std::string>(spec.methods.size()),
              nullptr, progress};
  if (spec.methods[cell->method].trains_on_split) {
    sweep.split_keys[cell->method] = split_training_key(spec, *dataset, spec.methods[cell->method]);
    train_on_split(sweep, cell->method);
  }
  CellView view;
  view.record = run_cell(sweep, *cell, &view);
  view.record = results::with_finite_metrics(view.record);
  if (view.record["status"] != "ok")
    throw Error("cell '" + key + "' failed: " + view.record["error"].get<std::string>());
  return view;
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
      records.push_back(results::read_record(path));
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
  Json document = results::make_results(manifest, records);
  // What each method learnt (a trained Phi's parameters and learned PDF, its training log),
  // read from the trained state beside the cell folders.
  Json models = Json::object();
  for (const auto& config : spec.methods) {
    auto method = method_registry().make(config.method, spec.task, config.parameters);
    bool trained = false;
    if (config.trains_on_split) {
      const std::string key = split_training_key(spec, *dataset, config) + ".json";
      for (const auto& dir : cell_dirs) {
        const fs::path path = dir.parent_path() / "trained" / key;
        if (!fs::exists(path)) continue;
        method->load_state(read_model_state(path));
        trained = true;
        break;
      }
    }
    Json summary = method->summary();
    if (summary.empty()) continue;
    summary["trained"] = trained;
    models[config.label] = std::move(summary);
  }
  if (!models.empty()) document["models"] = std::move(models);
  fs::create_directories(out.parent_path());
  write_atomically(out, document.dump(1) + "\n");
  return out;
}

}  // namespace nmfbench::exp
