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
#include "experiments/scoring.hpp"
#include "methods/registry.hpp"
#include "results/record_checks.hpp"
#include "results/results.hpp"

namespace nmfbench::exp {
namespace fs = std::filesystem;
namespace {

// A model file and its sidecars, each atomically, the JSON last.
void write_model(const fs::path& path, const Json& document) {
  for (const auto& [file, bytes] : model_files(path, document)) write_atomically(file, bytes);
}

fs::path cell_path(const fs::path& dir, const Cell& cell) {
  return dir / (content_hash(Json(cell.key)) + ".json");
}

data::DatasetOptions dataset_options(const ExperimentSpec& spec) {
  return {spec.root, spec.sample_rate, spec.dataset_options};
}

// A mixture of an example and the references it is scored against: the corpus's own mixture
// when it gives one; else for denoising with the noise drawn from `rng`.
data::Mixture draw_mixture(const ExperimentSpec& spec, const data::Example& example,
                           const Stft& stft, RandomStream rng) {
  if (example.mixture.size() > 0) {
    data::Mixture given{example.mixture, {}};
    for (const auto& s : example.sources) given.sources.push_back(s.audio);
    return given;
  }
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
  // Per method configuration: the key of its split-trained state ("" if it trains on none),
  // and that state once trained, read once and shared by every cell of the configuration.
  std::vector<std::string> split_keys;
  std::vector<std::shared_ptr<const Json>> split_states;
  std::vector<std::string> split_failures;  // why a configuration has no trained state
  const std::atomic<bool>* cancel;
  bool progress;
};

bool learns_on_split(const MethodConfig& config) {
  return config.capabilities.split != SplitLearning::none;
}

// What a split training depends on: the method, its parameters, the seed, the task set-up and
// the audio of the training and validation splits.
// Per method configuration: the key of its split-trained state, "" for a configuration that
// learns on no split. The splits' audio is read and hashed once for all configurations.
std::vector<std::string> split_training_keys(const ExperimentSpec& spec,
                                             const data::Dataset& dataset) {
  std::vector<std::string> keys(spec.methods.size());
  if (std::none_of(spec.methods.begin(), spec.methods.end(), learns_on_split)) return keys;
  Json examples = Json::array();
  for (const std::string& split : {spec.training_split, spec.validation_split}) {
    if (split.empty()) continue;
    for (const auto& id : dataset.example_ids(split)) {
      const data::Example example = dataset.load(split, id);
      std::vector<Signal> audio = example.training;
      for (const auto& s : example.sources) audio.push_back(s.audio);
      if (example.mixture.size() > 0) audio.push_back(example.mixture);
      // Training mixes these in when the spec takes its noise from the corpus.
      for (const auto& n : example.noise) audio.push_back(n);
      examples.push_back({id, audio_hash(audio)});
    }
  }
  for (std::size_t m = 0; m < spec.methods.size(); ++m) {
    const MethodConfig& config = spec.methods[m];
    if (!learns_on_split(config)) continue;
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
                {"examples", examples}};
    if (!spec.validation_split.empty()) key["validation_split"] = spec.validation_split;
    keys[m] = content_hash(key);
  }
  return keys;
}

// A split as the training loop sees it: example i drawn with a given stream (for denoising, a
// fresh noise draw each time).
TrainingSet training_set(const Sweep& sweep, const Stft& stft, const std::string& split) {
  if (split.empty()) return {&stft, 0, nullptr};
  const std::vector<std::string> ids = sweep.dataset.example_ids(split);
  return {&stft, ids.size(), [&sweep, &stft, split, ids](std::size_t index, RandomStream& rng) {
            const data::Example example = sweep.dataset.load(split, ids.at(index));
            data::Mixture mix = draw_mixture(sweep.spec, example, stft, rng.derive("mix"));
            return TrainingItem{std::move(mix.mixture), std::move(mix.sources), example.training};
          }};
}

fs::path split_state_path(const Sweep& sweep, std::size_t config_index) {
  return sweep.trained_dir / (sweep.split_keys[config_index] + ".json");
}

// Trains one method configuration on the training split unless its state is cached.
void train_on_split(const Sweep& sweep, std::size_t config_index) {
  const ExperimentSpec& spec = sweep.spec;
  const MethodConfig& config = spec.methods[config_index];
  const fs::path path = split_state_path(sweep, config_index);
  if (usable_cached_file(path, read_model_state)) return;
  const Stft stft(spec.stft);
  const TrainingData data{training_set(sweep, stft, spec.training_split),
                          training_set(sweep, stft, spec.validation_split)};
  auto method = method_registry().make(config.method, spec.task, config.parameters);
  // Keyed by the configuration, so that its initial weights are its own and do not depend on
  // which other configurations the spec lists, or in which order.
  const std::string configuration =
      content_hash(Json{{"method", config.method}, {"parameters", config.parameters}});
  RunContext context{RandomStream(spec.seed, "train/" + spec.training_split + "/" + configuration),
                     {},
                     nullptr,
                     sweep.cancel};
  if (sweep.progress)
    context.log = [&](const std::string& line) {
      std::cerr << config.label << ": " << line << "\n";
    };
  method->train(spec.task, data, context);
  if (!context.cancelled()) write_model(path, model_document(spec, config, method->save_state()));
}

// Reads each trained configuration's state once, for all its cells.
void load_split_states(Sweep& sweep) {
  for (std::size_t m = 0; m < sweep.split_keys.size(); ++m) {
    if (sweep.split_keys[m].empty() || !sweep.split_failures[m].empty()) continue;
    const fs::path path = split_state_path(sweep, m);
    if (fs::exists(path)) sweep.split_states[m] = std::make_shared<Json>(read_model_state(path));
  }
}

// The split-trained state of a configuration, loaded into `method`.
void load_split_state(const Sweep& sweep, std::size_t config_index, Method& method) {
  if (sweep.split_keys[config_index].empty()) return;
  if (!sweep.split_states[config_index]) {
    const std::string& why = sweep.split_failures[config_index];
    throw Error("the method was not trained on split '" + sweep.spec.training_split + "': " +
                (why.empty() ? "its training was interrupted" : "its training failed: " + why));
  }
  method.load_state(*sweep.split_states[config_index]);
}

Sweep make_sweep(const ExperimentSpec& spec, const data::Dataset& dataset,
                 const fs::path& trained_dir, const std::atomic<bool>* cancel, bool progress) {
  const std::size_t n = spec.methods.size();
  Sweep sweep{spec,
              dataset,
              trained_dir,
              std::vector<std::string>(n),
              std::vector<std::shared_ptr<const Json>>(n),
              std::vector<std::string>(n),
              cancel,
              progress};
  sweep.split_keys = split_training_keys(spec, dataset);
  return sweep;
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
                            // A feed-forward method's one estimate is checkpoint 0.
                            config.capabilities.iterative ? spec.checkpoints : std::vector<int>{0},
                            nullptr, sweep.cancel, nullptr}};
  load_split_state(sweep, cell.method, *p.method);
  if (!config.capabilities.per_example) return p;
  const fs::path path = sweep.trained_dir / (training_key(sweep, cell, p.example) + ".json");
  if (usable_cached_file(path, read_model_state)) {
    p.method->load_state(read_model_state(path));
    return p;
  }
  std::vector<ComplexArray> training;
  for (const auto& t : p.example.training) training.push_back(stft.forward(t));
  p.method->fit(training, p.context);
  if (!p.context.cancelled())
    write_model(path, model_document(spec, config, p.method->save_state()));
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
                 {"init", cell.init},
                 {"labels", Json::object()}};
  try {
    const Stft stft(spec.stft);
    PreparedCell prepared = prepare_cell(sweep, stft, cell);
    // The noise depends on the example and draw only, so every method sees the same mixture.
    const data::Mixture mix =
        draw_mixture(spec, prepared.example, stft,
                     RandomStream(spec.seed, cell.split + "/" + cell.example + "/noise" +
                                                 std::to_string(cell.draw)));
    RunContext& context = prepared.context;
    for (const auto& [name, value] : prepared.example.labels) record["labels"][name] = value;
    std::vector<data::Role> roles;
    for (const auto& source : prepared.example.sources) roles.push_back(source.role);
    const CellScorer scorer(mix, roles, spec.scoring);
    // A feed-forward method's one estimate gets BSS Eval whenever the spec asks for it.
    const bool bss_eval_once = !config.capabilities.iterative && !spec.scoring.bss_eval_at.empty();
    Json curve = Json::array();
    context.report = [&](int iteration, const std::vector<ComplexArray>& sources) {
      std::vector<Signal> estimates;
      for (std::size_t l = 0; l < sources.size(); ++l) {
        estimates.push_back(stft.inverse(sources[l], mix.mixture.size()));
        if (!all_finite(estimates.back()))
          throw Error("the estimate of source " + std::to_string(l) +
                      " is not finite at iteration " + std::to_string(iteration));
      }
      if (view) view->estimates = sources;  // the last checkpoint's stay
      curve.push_back(
          scorer.score(iteration, estimates, bss_eval_once || scorer.bss_eval_at(iteration)));
    };
    const ComplexArray mixture = stft.forward(mix.mixture);
    if (view) {
      view->mixture = mixture;
      view->samples = mix.mixture.size();
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
    if (curve.empty()) throw Error("the method reported no estimate");
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
  const fs::path trained_dir = options.trained.empty() ? run_dir / "trained" : options.trained;
  if (!options.train_only) fs::create_directories(cell_dir);
  fs::create_directories(run_dir);
  RunSummary summary;
  const RunLock lock(run_dir, options.wait_for_lock ? RunLock::Mode::wait : RunLock::Mode::fail,
                     options.cancel);
  summary.cancelled = !lock.held();  // interrupted while waiting for another run
  if (summary.cancelled) return summary;
  fs::create_directories(trained_dir);
  const auto dataset = data::make_dataset(spec.loader, dataset_options(spec));
  const std::vector<Cell> all = expand_cells(spec, *dataset);

  std::vector<Cell> pending;
  std::size_t failed_before = 0;  // cached failures still count: a rerun must not hide them
  for (const Cell& c : all) {
    if (static_cast<int>(c.index % static_cast<std::size_t>(options.shards)) != options.shard)
      continue;
    ++summary.cells;
    // The cached record is read once, by the check.
    Json record;
    const bool cached = usable_cached_file(
        cell_path(cell_dir, c), [&](const fs::path& p) { record = results::read_record(p); });
    const bool failed = cached && record["status"] == "failed";
    // A failed cell of a configuration trained on a split is run again: it may have failed for
    // want of a training that this run does, or did, finish.
    if (cached && !(failed && learns_on_split(spec.methods[c.method]))) {
      ++summary.skipped;
      if (failed) ++failed_before;
    } else {
      pending.push_back(c);
    }
  }
  const int threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
  Sweep sweep = make_sweep(spec, *dataset, trained_dir, options.cancel, options.progress);
  std::vector<std::size_t> split_trained;
  for (std::size_t m = 0; m < spec.methods.size(); ++m) {
    if (!sweep.split_keys[m].empty()) split_trained.push_back(m);
  }
  // Methods trained on a split first, each once; a training that fails is recorded in the
  // cells of its configuration.
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
  if (options.train_only) {
    summary.failed = static_cast<std::size_t>(
        std::count_if(sweep.split_failures.begin(), sweep.split_failures.end(),
                      [](const std::string& why) { return !why.empty(); }));
    summary.cancelled = options.cancel && options.cancel->load();
    return summary;
  }
  load_split_states(sweep);
  Progress progress(options.progress, summary.cells);
  std::atomic<std::size_t> done{summary.skipped}, failed{failed_before};
  progress.update(done, failed);
  // Per-example fits next: every fit the evaluation cells need lands in the cache. A fit that
  // fails is not recorded here; its evaluation cell meets the same error and records it.
  tbb::parallel_for_each(pending.begin(), pending.end(), [&](const Cell& cell) {
    if (!spec.methods[cell.method].capabilities.per_example) return;
    if (options.cancel && options.cancel->load()) return;
    try {
      prepare_cell(sweep, Stft(spec.stft), cell);
    } catch (const std::exception&) {
    }
  });
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
    summary.results =
        assemble_results(spec, {cell_dir}, run_dir / "results.json", run_info, {trained_dir});
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
  Sweep sweep = make_sweep(spec, *dataset, trained_dir, nullptr, progress);
  if (!sweep.split_keys[cell->method].empty()) train_on_split(sweep, cell->method);
  load_split_states(sweep);
  CellView view;
  view.record = run_cell(sweep, *cell, &view);
  view.record = results::with_finite_metrics(view.record);
  if (view.record["status"] != "ok")
    throw Error("cell '" + key + "' failed: " + view.record["error"].get<std::string>());
  return view;
}

fs::path assemble_results(const ExperimentSpec& spec, const std::vector<fs::path>& cell_dirs,
                          const fs::path& out, const Json& run_info,
                          std::vector<fs::path> trained_dirs) {
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
  // What each method learnt (a trained Phi's parameters and learned PDF, its training log).
  if (trained_dirs.empty())
    for (const auto& dir : cell_dirs) trained_dirs.push_back(dir.parent_path() / "trained");
  Json models = Json::object();
  const std::vector<std::string> split_keys = split_training_keys(spec, *dataset);
  for (std::size_t m = 0; m < spec.methods.size(); ++m) {
    const MethodConfig& config = spec.methods[m];
    auto method = method_registry().make(config.method, spec.task, config.parameters);
    bool trained = false;
    if (learns_on_split(config)) {
      const std::string key = split_keys[m] + ".json";
      for (const auto& dir : trained_dirs) {
        const fs::path path = dir / key;
        if (!fs::exists(path)) continue;
        method->load_state(read_model_state(path));
        trained = true;
        break;
      }
    }
    Json summary = method->summary();
    if (summary.empty()) continue;
    // A configuration trained for no step is the untrained model (paper 000's untrained rows).
    summary["trained"] = trained && !summary.value("training_log", Json::array()).empty();
    models[config.label] = std::move(summary);
  }
  if (!models.empty()) document["models"] = std::move(models);
  fs::create_directories(out.parent_path());
  write_atomically(out, document.dump(1) + "\n");
  return out;
}

}  // namespace nmfbench::exp
