#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/random.hpp"
#include "core/stft.hpp"
#include "methods/parameters.hpp"

namespace nmfbench {

// denoise: paper 000, Algorithm 1 - the model is fitted to the noisy signal itself.
// separate: Algorithm 2 and papers 001-004 - per-source models learnt from clean training
// audio (fit), then fitted to the mixture with fixed bases (run).
enum class Task { denoise, separate };
std::string to_string(Task task);
Task parse_task(std::string_view name);

// How a method learns on the training split before any cell runs: end to end from mixtures
// and references (DeMUA, deep NMF), or from the clean sources (SNMF's dictionaries).
enum class SplitLearning { none, end_to_end, from_sources };
std::string to_string(SplitLearning learning);

// What the runner needs to know to train, cache and record a method for one task. The runner
// reads these, never the task, so a new family never changes the runner.
struct Capabilities {
  // fit() learns from each example's own training audio, one signal per source (the bases of
  // supervised separation); the runner caches each fit.
  bool per_example = false;
  // train() learns once on the training split; the runner caches the state per configuration.
  SplitLearning split = SplitLearning::none;
  // Iterative methods report at every checkpoint; a feed-forward one reports once, at
  // checkpoint 0, and tables show it as a single column.
  bool iterative = true;
};

struct TaskSupport {
  Task task;
  Capabilities capabilities;
};

struct MethodInfo {
  std::string name;
  std::string summary;
  std::vector<TaskSupport> tasks;
  std::vector<ParameterSpec> parameters;

  bool supports(Task task) const;
  // Throws Error naming the method and the tasks it supports.
  const Capabilities& capabilities(Task task) const;
};

// What a method is given besides its data: its random stream, the iterations at which to
// report estimates, where to report them, and a cancellation flag.
struct RunContext {
  RandomStream rng;
  // Iteration counts at which run() reports, ascending; 0 reports the initial estimate.
  std::vector<int> checkpoints;
  // Called at each checkpoint with the estimated complex spectrogram of every source
  // (denoise: one). The runner turns them into waveforms and metrics.
  std::function<void(int iteration, const std::vector<ComplexArray>& sources)> report;
  const std::atomic<bool>* cancel = nullptr;
  // Progress lines of long computations (training steps); may be empty.
  std::function<void(const std::string&)> log = nullptr;
  // Called once after the last checkpoint, when set, with the factorisation behind the last
  // estimates: the bases the model multiplies (M x K, all sources' side by side) and the
  // activations (K x N). The single-example figure draws them; methods that factorise
  // nothing never call it.
  std::function<void(const Array& bases, const Array& activations)> factors = nullptr;

  bool cancelled() const { return cancel && cancel->load(std::memory_order_relaxed); }
};

// One training example drawn afresh (for denoising, with a new noise draw): the mixture, the
// clean reference of each source and, for separation, each source's training audio.
struct TrainingItem {
  Signal mixture;
  std::vector<Signal> references;
  std::vector<Signal> source_training;
};

// What a method trained on a split sees of it (paper 000, secs. III-C, III-D): the analysis
// STFT, the number of examples, and a way to draw example i with a given stream.
struct TrainingSet {
  const Stft* stft = nullptr;
  std::size_t size = 0;
  std::function<TrainingItem(std::size_t index, RandomStream& rng)> draw;
};

// The training split and, when the spec names one, the validation split (size 0 otherwise).
struct TrainingData {
  TrainingSet train, validation;
};

// A separation method. It sees spectrograms and its own parameters, never files or metrics.
class Method {
 public:
  virtual ~Method() = default;
  // Learns from the clean training spectrogram of each source (separate); methods that
  // learn nothing keep the default.
  virtual void fit(const std::vector<ComplexArray>& /*training_sources*/, RunContext& /*context*/) {
  }
  virtual void run(Task task, const ComplexArray& mixture, RunContext& context) = 0;
  // Learns on the training split, for methods whose capabilities say so; the runner calls it
  // once per configuration, before any cell, and hands the trained state to every cell.
  virtual void train(Task /*task*/, const TrainingData& /*data*/, RunContext& /*context*/) {}
  // What the results should show of the learnt model (a learned PDF, a training log).
  virtual Json summary() const { return Json::object(); }
  // The learnt state (bases, network weights) as JSON; empty for methods that learn nothing.
  virtual Json save_state() const { return Json::object(); }
  virtual void load_state(const Json& /*state*/) {}
};

// How a family plugs in: its description and a factory from resolved parameters. Families
// declare a function returning one; methods/registry.cpp lists them, one line each.
using MethodFactory = std::function<std::unique_ptr<Method>(const ParameterValues&)>;
struct MethodRegistration {
  MethodInfo info;
  MethodFactory make;
};

}  // namespace nmfbench
