#include "experiments/spec.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <set>

#include "core/hash.hpp"
#include "core/json_field.hpp"
#include "methods/registry.hpp"
#include "results/results.hpp"

namespace nmfbench::exp {
namespace {

// Iterations of one run of a method; a million already takes days on the largest corpus.
constexpr long kMaxIterations = 1000000;

// Names become folder names under --out: letters, digits, '-', '_', '.', and no leading dot,
// so that no name is "..", hidden, or holds a separator or a control character.
bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > 200 || name[0] == '.') return false;
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == '.';
  });
}

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
  const JsonObject scoring(json, "spec.scoring");
  scoring.only({"sources", "bss_eval_at", "stoi"});
  ScoringSpec s;
  if (scoring.has("stoi")) {
    const Json& stoi = scoring.get("stoi");
    if (!stoi.is_boolean()) json_fail("spec.scoring.stoi", stoi, "true or false");
    s.stoi = stoi.get<bool>();
  }
  if (scoring.has("sources")) {
    const Json& sources = scoring.get("sources");
    if (!sources.is_array() || sources.empty())
      json_fail("spec.scoring.sources", sources, "a non-empty array of roles");
    for (const auto& role : sources) {
      if (role == "target")
        s.roles.push_back(data::Role::target);
      else if (role == "interference")
        s.roles.push_back(data::Role::interference);
      else
        json_fail("spec.scoring.sources", role, "\"target\" or \"interference\"");
    }
  }
  if (!scoring.has("bss_eval_at")) {
    s.bss_eval_at = {checkpoints.back()};
    return s;
  }
  const Json& at = scoring.get("bss_eval_at");
  if (!at.is_array()) json_fail("spec.scoring.bss_eval_at", at, "an array of checkpoints");
  for (const auto& v : at) {
    if (!v.is_number_integer() ||
        std::find(checkpoints.begin(), checkpoints.end(), v.get<int>()) == checkpoints.end())
      json_fail("spec.scoring.bss_eval_at", v, "an iteration that is among the checkpoints");
    s.bss_eval_at.push_back(v.get<int>());
  }
  return s;
}

// The spec's training block fills in the shared training parameters a configuration leaves
// out. The length of training is one choice, train_steps or epochs: a configuration that
// sets either keeps it, and the one chosen replaces the other's default.
void apply_training_defaults(Json& point, const Json& defaults,
                             const std::vector<std::string>& schema) {
  auto declared = [&](const std::string& name) {
    return std::find(schema.begin(), schema.end(), name) != schema.end();
  };
  const bool length_given = point.contains("train_steps") || point.contains("epochs");
  if (point.contains("train_steps") && !point.contains("epochs") && declared("epochs"))
    point["epochs"] = 0;
  if (point.contains("epochs") && !point.contains("train_steps") && declared("train_steps"))
    point["train_steps"] = 0;
  for (const auto& [parameter, value] : defaults.items()) {
    const bool length = parameter == "train_steps" || parameter == "epochs";
    if (!declared(parameter) || point.contains(parameter) || (length && length_given)) continue;
    point[parameter] = value;
    if (parameter == "train_steps" && declared("epochs")) point["epochs"] = 0;
    if (parameter == "epochs" && declared("train_steps")) point["train_steps"] = 0;
  }
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

std::string cell_identity(const ExperimentSpec& spec) {
  static const std::set<std::string> kCosmetic = {"name", "replicates", "tables"};
  // nlohmann::json (unlike the ordered Json) sorts keys, so reordering the spec changes nothing.
  nlohmann::json identity = nlohmann::json::object();
  for (const auto& [key, value] : spec.source.items()) {
    if (!kCosmetic.count(key)) identity[key] = nlohmann::json::parse(value.dump());
  }
  const std::string text = identity.dump();
  return content_hash(text.data(), text.size());
}

StftConfig parse_stft(const Json& json, const std::string& path) {
  const JsonObject stft(json, path);
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
  const JsonObject root(json, "spec");
  root.only({"name", "replicates", "seed", "task", "dataset", "training", "mixing", "stft",
             "methods", "initialisations", "checkpoints", "scoring", "tables"});
  ExperimentSpec s;
  s.source = json;
  s.name = root.string("name");
  if (!valid_name(s.name)) {
    json_fail("spec.name", json["name"],
              "a file name: letters, digits, '-', '_' and '.', not starting with '.'");
  }
  s.replicates = root.string("replicates", "");
  s.seed = static_cast<std::uint64_t>(root.integer("seed", 0, 1L << 53));
  const std::string task = root.string("task");
  try {
    s.task = parse_task(task);
  } catch (const Error&) {
    json_fail("spec.task", root.get("task"), "\"denoise\" or \"separate\"");
  }

  const JsonObject dataset(root.get("dataset"), "spec.dataset");
  dataset.only({"loader", "root", "splits", "sample_rate", "options", "max_examples"});
  s.loader = dataset.string("loader");
  s.root = dataset.string("root", "");
  const Json& splits = dataset.get("splits");
  if (!splits.is_array() || splits.empty() ||
      !std::all_of(splits.begin(), splits.end(), [](const Json& v) { return v.is_string(); })) {
    json_fail("spec.dataset.splits", splits, "a non-empty array of split names");
  }
  for (const auto& v : splits) {
    if (std::find(s.splits.begin(), s.splits.end(), v.get<std::string>()) != s.splits.end())
      json_fail("spec.dataset.splits", splits, "each split named once");
    s.splits.push_back(v.get<std::string>());
  }
  s.sample_rate = static_cast<int>(dataset.integer("sample_rate", 1000, 192000, 8000));
  s.dataset_options = dataset.has("options") ? dataset.get("options") : Json::object();
  if (!s.dataset_options.is_object())
    json_fail("spec.dataset.options", s.dataset_options, "an object of the loader's options");
  s.max_examples = static_cast<int>(dataset.integer("max_examples", 0, 1000000, 0));

  // The training block names the splits and gives every split-trained configuration the
  // defaults of the shared training parameters it leaves out.
  Json training_defaults = Json::object();
  if (root.has("training")) {
    const JsonObject training(root.get("training"), "spec.training");
    training.only({"split", "validation_split", "steps", "epochs", "patience", "eval_every"});
    s.training_split = training.string("split");
    s.validation_split = training.string("validation_split", "");
    if (training.has("steps") && training.has("epochs"))
      json_fail("spec.training", root.get("training"), "\"steps\" or \"epochs\", not both");
    const std::pair<const char*, const char*> defaults[] = {{"steps", "train_steps"},
                                                            {"epochs", "epochs"},
                                                            {"patience", "patience"},
                                                            {"eval_every", "eval_every"}};
    for (const auto& [key, parameter] : defaults) {
      if (training.has(key)) training_defaults[parameter] = training.integer(key, 0, 1000000);
    }
  }

  const Json mixing_json = root.has("mixing") ? root.get("mixing") : Json::object();
  const JsonObject mixing(mixing_json, "spec.mixing");
  mixing.only({"noise", "snr_db", "draws", "levels_db"});
  if (s.task == Task::denoise) {
    s.noise = mixing.string("noise", "impulsive");
    if (s.noise != "impulsive" && s.noise != "white" && s.noise != "dataset") {
      json_fail("spec.mixing.noise", mixing_json["noise"],
                "\"impulsive\", \"white\" or \"dataset\"");
    }
    s.snr_db = mixing.number("snr_db", -100, 100, 0);
    s.noise_draws = static_cast<int>(mixing.integer("draws", 1, 10000, 1));
  } else if (mixing.has("levels_db")) {
    const Json& levels =
        mixing.array("levels_db", "an array of levels in dB relative to the first source");
    // Beyond 100 dB a source is below the other's rounding error and its score is undefined.
    for (std::size_t i = 0; i < levels.size(); ++i)
      s.levels_db.push_back(
          json_number(levels[i], "spec.mixing.levels_db[" + std::to_string(i) + "]", -100, 100));
  }

  s.stft = parse_stft(root.get("stft"), "spec.stft");

  const Json& methods = root.get("methods");
  if (!methods.is_array() || methods.empty())
    json_fail("spec.methods", methods, "a non-empty array of methods");
  std::set<std::string> labels;
  for (std::size_t i = 0; i < methods.size(); ++i) {
    const std::string path = "spec.methods[" + std::to_string(i) + "]";
    const JsonObject m(methods[i], path);
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
      json_fail(path + ".method", methods[i]["method"],
                "a method that learns on a split only with spec.training.split naming "
                "that split");
    }
    const Json grid = m.has("parameters") ? m.get("parameters") : Json::object();
    if (!grid.is_object())
      json_fail(path + ".parameters", grid, "an object (a list value makes a grid)");
    for (const auto& [key, value] : grid.items()) {
      if (value.is_array() && value.empty())
        json_fail(path + ".parameters." + key, value, "a value, or a non-empty list of values");
    }
    for (Json point : expand_grid(grid)) {
      if (capabilities.split != SplitLearning::none)
        apply_training_defaults(point, training_defaults, schema);
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
  const JsonObject checkpoints(root.get("checkpoints"), "spec.checkpoints");
  checkpoints.only({"every", "until", "list"});
  std::set<int> points = {0};
  if (checkpoints.has("every")) {
    const int every = static_cast<int>(checkpoints.integer("every", 1, kMaxIterations));
    const int until = static_cast<int>(checkpoints.integer("until", 1, kMaxIterations));
    for (int t = every; t <= until; t += every) points.insert(t);
  }
  if (checkpoints.has("list")) {
    const Json& list = checkpoints.array("list", "an array of iteration counts");
    for (std::size_t i = 0; i < list.size(); ++i) {
      points.insert(static_cast<int>(json_integer(
          list[i], "spec.checkpoints.list[" + std::to_string(i) + "]", 0, kMaxIterations)));
    }
  }
  if (points.size() == 1)
    json_fail("spec.checkpoints", root.get("checkpoints"),
              "\"every\" with \"until\", or a \"list\"");
  s.checkpoints.assign(points.begin(), points.end());

  if (root.has("tables")) {
    const Json& tables = root.get("tables");
    if (!tables.is_array()) json_fail("spec.tables", tables, "an array of tables");
    for (std::size_t i = 0; i < tables.size(); ++i) {
      const std::string path = "spec.tables[" + std::to_string(i) + "]";
      const JsonObject t(tables[i], path);
      t.only({"name", "title", "iterations", "statistic", "metric", "by", "models"});
      TableSpec table{t.string("name"),
                      t.string("title", ""),
                      {},
                      t.string("statistic", "mean"),
                      t.string("metric", "si_sdr_imp"),
                      t.string("by", ""),
                      results::table_model_fields(t)};
      if (!results::is_table_statistic(table.statistic)) {
        json_fail(path + ".statistic", tables[i]["statistic"], results::kTableStatistics);
      }
      const auto& metrics = table_metrics();
      if (std::find(metrics.begin(), metrics.end(), table.metric) == metrics.end())
        json_fail(path + ".metric", tables[i]["metric"], "one of " + join(metrics));
      // Without iterations a table shows each cell's final point.
      const Json iterations = t.has("iterations")
                                  ? t.array("iterations", "a non-empty array of checkpoints")
                                  : Json::array();
      if (t.has("iterations") && iterations.empty())
        json_fail(path + ".iterations", iterations, "a non-empty array of checkpoints");
      for (const auto& v : iterations) {
        if (!v.is_number_integer() || v.get<long>() < 0 || v.get<long>() > kMaxIterations ||
            !points.count(v.get<int>())) {
          json_fail(path + ".iterations", v, "an iteration that is among the checkpoints");
        }
        table.iterations.push_back(v.get<int>());
      }
      s.tables.push_back(table);
    }
  }
  s.scoring =
      parse_scoring(root.has("scoring") ? root.get("scoring") : Json::object(), s.checkpoints);
  s.scoring.sample_rate = s.sample_rate;
  return s;
}

const std::vector<std::string>& table_metrics() {
  static const std::vector<std::string> metrics = {"si_sdr_imp", "si_sdr", "sdr",  "sdr_imp",
                                                   "sir",        "sar",    "stoi", "estoi"};
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
