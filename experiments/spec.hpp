#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/stft.hpp"
#include "datasets/dataset.hpp"
#include "methods/method.hpp"

namespace nmfbench::exp {

// An experiment spec (JSON; the schema is documented in the README). Every value is checked
// when the spec is read; errors name the JSON path, the bad value and what was expected.
struct MethodConfig {
  std::string label;  // unique; names the method and every grid parameter
  std::string method;
  Json parameters;            // one point of the grid, resolved against the method's schema
  Capabilities capabilities;  // for the spec's task
};

struct TableSpec {
  std::string name, title;
  std::vector<int> iterations;        // columns: split x iteration (x label value, with `by`)
  std::string statistic = "mean";     // mean or median over examples, draws, inits
  std::string metric = "si_sdr_imp";  // si_sdr_imp, si_sdr, sdr, sdr_imp, sir or sar
  std::string by;                     // an example label to break columns down by ("snr")
  std::vector<std::string> models;    // model summary fields shown as columns
};

// Which sources are scored and where BSS Eval runs (it is far costlier than SI-SDR).
struct ScoringSpec {
  std::vector<data::Role> roles;  // the scored sources' roles; empty: every source
  std::vector<int> bss_eval_at;   // checkpoints with SDR, SIR, SAR; empty: none
  bool stoi = false;              // STOI and ESTOI too, at the same checkpoints
  int sample_rate = 0;            // of the scored audio (STOI resamples to 10 kHz)
};

struct ExperimentSpec {
  std::string name, replicates;
  std::uint64_t seed = 0;
  Task task = Task::denoise;
  std::string loader, root;
  std::vector<std::string> splits;
  std::string training_split;    // where methods trained on a split learn
  std::string validation_split;  // evaluated during training, for early stopping; optional
  int sample_rate = 8000;
  Json dataset_options = Json::object();
  int max_examples = 0;             // 0: every example of each split
  std::string noise = "impulsive";  // denoise: impulsive, white or dataset
  Real snr_db = 0;
  int noise_draws = 1;
  std::vector<Real> levels_db;  // separate: source levels relative to the first
  StftConfig stft;
  std::vector<MethodConfig> methods;  // the grid, expanded
  int initialisations = 1;
  std::vector<int> checkpoints;  // ascending, starting at 0
  std::vector<TableSpec> tables;
  ScoringSpec scoring;
  Json source;  // the spec as read, for the results manifest
};

ExperimentSpec parse_spec(const Json& json);
// The names of the metrics tables can show, in the order cells record them.
const std::vector<std::string>& table_metrics();
// The "stft" object of a spec or model file; errors name `path`.
StftConfig parse_stft(const Json& json, const std::string& path);
ExperimentSpec read_spec(const std::filesystem::path& path);

// A stable 16-hex-digit hash (64-bit FNV-1a) of bytes, or of a JSON value's canonical text.
std::string content_hash(const void* data, std::size_t size);
std::string content_hash(const Json& value);

// The hash that keys a spec's cell folder (OUT/<name>/cells-<hash>/): of everything in the spec
// that can change a cell's numbers. The fields that cannot (its name, what it replicates, its
// tables) are listed as cosmetic and left out, so editing them keeps the finished cells; any
// other field, a new one included, counts. The order of an object's keys does not count either.
std::string cell_identity(const ExperimentSpec& spec);

}  // namespace nmfbench::exp
