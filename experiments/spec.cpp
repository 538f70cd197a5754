#include "experiments/spec.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>

#include "core/hash.hpp"
#include "methods/registry.hpp"

namespace nmfbench::exp {
namespace {

// Reads one field of a JSON object, with the path used in every error message.
class Field {
 public:
  Field(const Json& object, std::string path) : object_(object), path_(std::move(path)) {
    if (!object_.is_object()) fail(object_, "an object");
  }
  [[noreturn]] void fail(const Json& value, const std::string& expected) const {
    fail_at(path_, value, expected);
  }
  [[noreturn]] static void fail_at(const std::string& path, const Json& value,
                                   const std::string& expected) {
    throw Error(path + ": got " + value.dump() + ", expected " + expected);
  }
  bool has(const std::string& key) const { return object_.contains(key); }
  std::string at(const std::string& key) const { return path_ + "." + key; }
  const Json& get(const std::string& key) const {
    if (!has(key)) throw Error(at(key) + ": missing; it is required");
    return object_[key];
  }
  std::string string(const std::string& key,
                     std::optional<std::string> fallback = std::nullopt) const {
    if (!has(key) && fallback) return *fallback;
    const Json& v = get(key);
    if (!v.is_string()) fail_at(at(key), v, "a string");
    return v.get<std::string>();
  }
  long integer(const std::string& key, long min, long max,
               std::optional<long> fallback = std::nullopt) const {
    if (!has(key) && fallback) return *fallback;
    const Json& v = get(key);
    if (!v.is_number_integer() || v.get<long>() < min || v.get<long>() > max) {
      fail_at(at(key), v,
              "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
    }
    return v.get<long>();
  }
  Real number(const std::string& key, Real min, Real max,
              std::optional<Real> fallback = std::nullopt) const {
    if (!has(key) && fallback) return *fallback;
    const Json& v = get(key);
    if (!v.is_number() || !(v.get<Real>() >= min && v.get<Real>() <= max)) {
      fail_at(at(key), v, "a number in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
    }
    return v.get<Real>();
  }
  void only(const std::set<std::string>& allowed) const {
    for (const auto& [key, value] : object_.items()) {
      if (!allowed.count(key)) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        throw Error(at(key) + ": unknown field; expected one of " + list);
      }
    }
  }

 private:
  const Json& object_;
  std::string path_;
};

std::string label_of(const std::string& method, const Json& point, const Json& grid) {
  std::string label = method;
  for (const auto& [key, value] : point.items()) {
    if (grid.contains(key) && grid[key].is_array())
      label += " " + key + "=" + (value.is_string() ? value.get<std::string>() : value.dump());
  }
  return label;
}

// Every combination of the parameters given as lists, in the order they are written.
std::vector<Json> expand_grid(const Json& parameters) {
  std::vector<Json> points = {Json::object()};
  for (const auto& [key, value] : parameters.items()) {
    std::vector<Json> next;
    const Json values = value.is_array() ? value : Json::array({value});
    for (const auto& p : points) {
      for (const auto& v : values) {
        Json q = p;
        q[key] = v;
        next.push_back(q);
      }
    }
    points = std::move(next);
  }
  return points;
}

std::string join(const std::vector<std::string>& names) {
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  return list;
}

// "scoring": {"sources": roles (default every source), "bss_eval_at": checkpoints (default the
// last)}.
ScoringSpec parse_scoring(const Json& json, const std::vector<int>& checkpoints) {
  const Field scoring(json, "spec.scoring");
  scoring.only({"sources", "bss_eval_at"});
  ScoringSpec s;
  if (scoring.has("sources")) {
    const Json& sources = scoring.get("sources");
    if (!sources.is_array() || sources.empty())
      Field::fail_at("spec.scoring.sources", sources, "a non-empty array of roles");
    for (const auto& role : sources) {
      if (role == "target")
        s.roles.push_back(data::Role::target);
      else if (role == "interference")
        s.roles.push_back(data::Role::interference);
      else
        Field::fail_at("spec.scoring.sources", role, "\"target\" or \"interference\"");
    }
  }
  if (!scoring.has("bss_eval_at")) {
    s.bss_eval_at = {checkpoints.back()};
    return s;
  }
  const Json& at = scoring.get("bss_eval_at");
  if (!at.is_array()) Field::fail_at("spec.scoring.bss_eval_at", at, "an array of checkpoints");
  for (const auto& v : at) {
    if (!v.is_number_integer() ||
        std::find(checkpoints.begin(), checkpoints.end(), v.get<int>()) == checkpoints.end())
      Field::fail_at("spec.scoring.bss_eval_at", v, "an iteration that is among the checkpoints");
    s.bss_eval_at.push_back(v.get<int>());
  }
  return s;
}

}  // namespace

std::string content_hash(const void* data, std::size_t size) {
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx",
                static_cast<unsigned long long>(fnv1a(data, size)));
  return buffer;
}

std::string content_hash(const Json& value) {
  const std::string text = value.dump();
  return content_hash(text.data(), text.size());
}

StftConfig parse_stft(const Json& json, const std::string& path) {
  const Field stft(json, path);
  stft.only({"window", "window_length", "fft_size", "hop", "framing"});
  StftConfig c;
  try {
    c.window = parse_window(stft.string("window", "hamming"));
    c.framing = parse_framing(stft.string("framing", "centered_reflect"));
  } catch (const Error& e) {
    throw Error(path + ": " + e.what());
  }
  c.window_length = static_cast<int>(stft.integer("window_length", 2, 1 << 16));
  c.fft_size =
      static_cast<int>(stft.integer("fft_size", c.window_length, 1 << 17, c.window_length));
  c.hop = static_cast<int>(stft.integer("hop", 1, c.window_length));
  return c;
}

ExperimentSpec parse_spec(const Json& json) {
  const Field root(json, "spec");
  root.only({"name", "replicates", "seed", "task", "dataset", "training", "mixing", "stft",
             "methods", "initialisations", "checkpoints", "scoring", "tables"});
  ExperimentSpec s;
  s.source = json;
  s.name = root.string("name");
  if (s.name.empty() || s.name.find_first_of("/\\ ") != std::string::npos) {
    Field::fail_at("spec.name", json["name"], "a non-empty name without spaces or slashes");
  }
  s.replicates = root.string("replicates", "");
  s.seed = static_cast<std::uint64_t>(root.integer("seed", 0, 1L << 53));
  try {
    s.task = parse_task(root.string("task"));
  } catch (const Error&) {
    Field::fail_at("spec.task", json["task"], "\"denoise\" or \"separate\"");
  }

  const Field dataset(root.get("dataset"), "spec.dataset");
  dataset.only({"loader", "root", "splits", "sample_rate", "options", "max_examples"});
  s.loader = dataset.string("loader");
  s.root = dataset.string("root", "");
  const Json& splits = dataset.get("splits");
  if (!splits.is_array() || splits.empty() ||
      !std::all_of(splits.begin(), splits.end(), [](const Json& v) { return v.is_string(); })) {
    Field::fail_at("spec.dataset.splits", splits, "a non-empty array of split names");
  }
  for (const auto& v : splits) s.splits.push_back(v.get<std::string>());
  s.sample_rate = static_cast<int>(dataset.integer("sample_rate", 1000, 192000, 8000));
  s.dataset_options = dataset.has("options") ? dataset.get("options") : Json::object();
  s.max_examples = static_cast<int>(dataset.integer("max_examples", 0, 1000000, 0));

  // The training block names the splits and gives every split-trained configuration the
  // defaults of the shared training parameters it leaves out.
  Json training_defaults = Json::object();
  if (root.has("training")) {
    const Field training(root.get("training"), "spec.training");
    training.only({"split", "validation_split", "steps", "epochs", "patience", "eval_every"});
    s.training_split = training.string("split");
    s.validation_split = training.string("validation_split", "");
    if (training.has("steps") && training.has("epochs"))
      Field::fail_at("spec.training", root.get("training"), "\"steps\" or \"epochs\", not both");
    const std::pair<const char*, const char*> defaults[] = {{"steps", "train_steps"},
                                                            {"epochs", "epochs"},
                                                            {"patience", "patience"},
                                                            {"eval_every", "eval_every"}};
    for (const auto& [key, parameter] : defaults) {
      if (training.has(key)) training_defaults[parameter] = training.integer(key, 0, 1000000);
    }
  }

  const Json mixing_json = root.has("mixing") ? root.get("mixing") : Json::object();
  const Field mixing(mixing_json, "spec.mixing");
  mixing.only({"noise", "snr_db", "draws", "levels_db"});
  if (s.task == Task::denoise) {
    s.noise = mixing.string("noise", "impulsive");
    if (s.noise != "impulsive" && s.noise != "white" && s.noise != "dataset") {
      Field::fail_at("spec.mixing.noise", mixing_json["noise"],
                     "\"impulsive\", \"white\" or \"dataset\"");
    }
    s.snr_db = mixing.number("snr_db", -100, 100, 0);
    s.noise_draws = static_cast<int>(mixing.integer("draws", 1, 10000, 1));
  } else if (mixing.has("levels_db")) {
    const Json& levels = mixing.get("levels_db");
    if (!levels.is_array() ||
        !std::all_of(levels.begin(), levels.end(), [](const Json& v) { return v.is_number(); })) {
      Field::fail_at("spec.mixing.levels_db", levels,
                     "an array of numbers (dB relative to the first source)");
    }
    for (const auto& v : levels) s.levels_db.push_back(v.get<Real>());
  }

  s.stft = parse_stft(root.get("stft"), "spec.stft");

  const Json& methods = root.get("methods");
  if (!methods.is_array() || methods.empty())
    Field::fail_at("spec.methods", methods, "a non-empty array of methods");
  std::set<std::string> labels;
  for (std::size_t i = 0; i < methods.size(); ++i) {
    const std::string path = "spec.methods[" + std::to_string(i) + "]";
    const Field m(methods[i], path);
    m.only({"method", "label", "parameters"});
    const std::string name = m.string("method");
    Capabilities capabilities;
    std::vector<std::string> schema;
    try {
      const MethodInfo& info = method_registry().find(name).info;
      capabilities = info.capabilities(s.task);
      for (const auto& p : info.parameters) schema.push_back(p.name);
    } catch (const Error& e) {
      throw Error(path + ".method: " + e.what());
    }
    if (capabilities.split != SplitLearning::none && s.training_split.empty()) {
      Field::fail_at(path + ".method", methods[i]["method"],
                     "a method that learns on a split only with spec.training.split naming "
                     "that split");
    }
    const Json grid = m.has("parameters") ? m.get("parameters") : Json::object();
    if (!grid.is_object())
      Field::fail_at(path + ".parameters", grid, "an object (a list value makes a grid)");
    for (Json point : expand_grid(grid)) {
      if (capabilities.split != SplitLearning::none) {
        for (const auto& [parameter, value] : training_defaults.items()) {
          if (!point.contains(parameter) &&
              std::find(schema.begin(), schema.end(), parameter) != schema.end())
            point[parameter] = value;
        }
      }
      try {
        // Making the method validates names, types and ranges.
        method_registry().make(name, s.task, point);
      } catch (const Error& e) {
        throw Error(path + ".parameters: " + e.what());
      }
      std::string label = m.has("label") ? m.string("label") : name;
      if (m.has("label"))
        label += label_of("", point, grid);
      else
        label = label_of(name, point, grid);
      if (!labels.insert(label).second)
        throw Error(path + ": the label '" + label + "' is used twice; give each method a label");
      s.methods.push_back({label, name, point, capabilities});
    }
  }

  s.initialisations = static_cast<int>(root.integer("initialisations", 1, 10000, 1));
  const Field checkpoints(root.get("checkpoints"), "spec.checkpoints");
  checkpoints.only({"every", "until", "list"});
  std::set<int> points = {0};
  if (checkpoints.has("every")) {
    const int every = static_cast<int>(checkpoints.integer("every", 1, 1000000));
    const int until = static_cast<int>(checkpoints.integer("until", 1, 1000000));
    for (int t = every; t <= until; t += every) points.insert(t);
  }
  if (checkpoints.has("list")) {
    const Json& list = checkpoints.get("list");
    if (!list.is_array())
      Field::fail_at("spec.checkpoints.list", list, "an array of iteration counts");
    for (const auto& v : list) {
      if (!v.is_number_integer() || v.get<int>() < 0)
        Field::fail_at("spec.checkpoints.list", v, "non-negative integers");
      points.insert(v.get<int>());
    }
  }
  if (points.size() == 1)
    Field::fail_at("spec.checkpoints", root.get("checkpoints"),
                   "\"every\" with \"until\", or a \"list\"");
  s.checkpoints.assign(points.begin(), points.end());

  if (root.has("tables")) {
    const Json& tables = root.get("tables");
    if (!tables.is_array()) Field::fail_at("spec.tables", tables, "an array of tables");
    for (std::size_t i = 0; i < tables.size(); ++i) {
      const std::string path = "spec.tables[" + std::to_string(i) + "]";
      const Field t(tables[i], path);
      t.only({"name", "title", "iterations", "statistic", "metric", "by"});
      TableSpec table{t.string("name"),
                      t.string("title", ""),
                      {},
                      t.string("statistic", "mean"),
                      t.string("metric", "si_sdr_imp"),
                      t.string("by", "")};
      if (table.statistic != "mean" && table.statistic != "median") {
        Field::fail_at(path + ".statistic", tables[i]["statistic"], "\"mean\" or \"median\"");
      }
      const auto& metrics = table_metrics();
      if (std::find(metrics.begin(), metrics.end(), table.metric) == metrics.end())
        Field::fail_at(path + ".metric", tables[i]["metric"], "one of " + join(metrics));
      // Without iterations a table shows each cell's final point.
      const Json iterations = t.has("iterations") ? t.get("iterations") : Json::array();
      for (const auto& v : iterations) {
        if (!v.is_number_integer() || !points.count(v.get<int>())) {
          Field::fail_at(path + ".iterations", v, "an iteration that is among the checkpoints");
        }
        table.iterations.push_back(v.get<int>());
      }
      s.tables.push_back(table);
    }
  }
  s.scoring =
      parse_scoring(root.has("scoring") ? root.get("scoring") : Json::object(), s.checkpoints);
  return s;
}

const std::vector<std::string>& table_metrics() {
  static const std::vector<std::string> metrics = {"si_sdr_imp", "si_sdr", "sdr",
                                                   "sdr_imp",    "sir",    "sar"};
  return metrics;
}

ExperimentSpec read_spec(const std::filesystem::path& path) {
  const Json json = read_json_file(path, "spec");
  try {
    return parse_spec(json);
  } catch (const Error& e) {
    throw Error("spec '" + path.string() + "': " + e.what());
  }
}

}  // namespace nmfbench::exp
