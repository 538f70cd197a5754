#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/json_field.hpp"

namespace nmfbench::data {

// What a source is to the task: the target (speech, when enhancing) or interference (noise).
// Specs choose the scored sources by role.
enum class Role { target, interference };

struct SourceAudio {
  std::string name;                           // e.g. a speaker id or a file stem
  Signal audio;                               // at the example's sample rate
  std::map<std::string, std::string> labels;  // e.g. {"speaker": "1089", "sex": "F"}
  Role role = Role::target;
};

// One test item: the clean sources and, for supervised separation, each source's training
// audio. Mixing and noise are the experiment's business (datasets/mixing.hpp).
struct Example {
  std::string id;  // stable across runs, unique within its split
  std::string split;
  int sample_rate = 0;
  std::vector<SourceAudio> sources;
  std::vector<Signal> training;  // one per source; empty when the corpus has none
  std::vector<Signal> noise;     // noise recordings the corpus pairs with the example, if any
  // The mixture as the corpus gives it (CHiME2); empty when the experiment mixes the sources.
  Signal mixture{};
  // What results can be broken down by, e.g. {"snr": "-6dB"}.
  std::map<std::string, std::string> labels{};
};

struct DatasetOptions {
  std::filesystem::path root;   // unused by the embedded data
  int sample_rate = 8000;       // audio is resampled to this on load
  Json extra = Json::object();  // loader-specific options, documented by each loader
};

// A corpus: splits, stable example ids, and lazy, thread-safe loading (each file is read and
// resampled once per run, however many cells use it).
class Dataset {
 public:
  virtual ~Dataset() = default;
  virtual std::vector<std::string> splits() const = 0;
  // Throws Error for an unknown split (listing the valid ones) or an empty one.
  virtual std::vector<std::string> example_ids(const std::string& split) const = 0;
  virtual Example load(const std::string& split, const std::string& id) const = 0;
  // True for the embedded stand-in data, so every result can say it is not the real corpus.
  virtual bool stand_in() const { return false; }
};

struct DatasetRegistration {
  std::string name;
  std::string summary;
  std::function<std::unique_ptr<Dataset>(const DatasetOptions&)> make;
};

// Every loader, one line each in datasets/registry.cpp.
const std::vector<DatasetRegistration>& dataset_loaders();
// Throws Error naming the loader and listing the registered ones.
std::unique_ptr<Dataset> make_dataset(const std::string& name, const DatasetOptions& options);

// Helpers the loaders share.

// A loader's options (spec.dataset.options, DatasetOptions::extra) for reading with their
// types, ranges and defaults (JsonObject::string, integer, number): throws Error naming the
// loader and the option when `extra` holds a name not in `known`, and the readers throw for a
// value of the wrong type or range, so that no option is ignored or misread silently.
JsonObject loader_options(const std::string& loader, const Json& extra,
                          const std::set<std::string>& known);
[[noreturn]] void throw_unknown_split(const std::string& dataset, const std::string& split,
                                      const std::vector<std::string>& valid);
const std::vector<std::string>& non_empty(const std::vector<std::string>& ids,
                                          const std::string& dataset, const std::string& split,
                                          const std::string& where);

}  // namespace nmfbench::data
