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

struct MethodInfo {
  std::string name;
  std::string summary;
  std::vector<Task> tasks;
  std::vector<ParameterSpec> parameters;
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

// What a method trained end to end sees of its training split (paper 000, secs. III-C, III-D):
// the analysis STFT, the number of examples, and a way to draw example i with a given stream.
struct TrainingSet {
  const Stft* stft = nullptr;
  std::size_t size = 0;
  std::function<TrainingItem(std::size_t index, RandomStream& rng)> draw;
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
  // Methods trained end to end on a whole split (DeMUA) say so; the runner then calls train()
  // once per split, before any cell, and hands the trained state to every cell.
  virtual bool trains_on_split() const { return false; }
  virtual void train(Task /*task*/, const TrainingSet& /*data*/, RunContext& /*context*/) {}
  // What the results should show of the learnt model (a learned PDF, a training log).
  virtual Json summary() const { return Json::object(); }
  // The learnt state (bases, network weights) as JSON; empty for methods that learn nothing.
  virtual Json save_state() const { return Json::object(); }
  virtual void load_state(const Json& /*state*/) {}
};

}  // namespace nmfbench
