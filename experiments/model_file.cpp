#include "experiments/model_file.hpp"

#include <fstream>
#include <iterator>

#include "core/json_field.hpp"
#include "core/npy.hpp"
#include "core/optim/parameters.hpp"
#include "methods/registry.hpp"

namespace nmfbench::exp {
namespace {

namespace fs = std::filesystem;

constexpr int kSchemaVersion = 1;

bool is_array_object(const Json& j) {
  return j.is_object() && j.contains("rows") && j.contains("cols") &&
         j["rows"].is_number_integer() && j["cols"].is_number_integer();
}

// Moves the large arrays of `state` to sidecars, depth first in document order.
void extract_sidecars(Json& state, const fs::path& path,
                      std::vector<std::pair<fs::path, std::string>>& files) {
  if (is_array_object(state) && state.contains("data") && state["data"].is_array() &&
      state["data"].size() >= kSidecarValues) {
    const auto rows = state["rows"].get<Eigen::Index>(), cols = state["cols"].get<Eigen::Index>();
    const std::vector<Real> values = state["data"].get<std::vector<Real>>();
    if (static_cast<Eigen::Index>(values.size()) != rows * cols) return;  // not ours to move
    const fs::path sidecar =
        path.parent_path() / (path.stem().string() + "." + std::to_string(files.size()) + ".npy");
    std::string bytes = npy_bytes(Eigen::Map<const Array>(values.data(), rows, cols));
    state.erase("data");
    state["npy"] = sidecar.filename().string();
    state["checksum"] = content_hash(bytes.data(), bytes.size());
    files.emplace_back(sidecar, std::move(bytes));
    return;
  }
  if (state.is_object() || state.is_array()) {
    for (auto& child : state) extract_sidecars(child, path, files);
  }
}

// Puts each sidecar's values back in place of its name, checking its checksum and shape.
void resolve_sidecars(Json& state, const fs::path& path) {
  if (is_array_object(state) && state.contains("npy")) {
    const std::string name = state.value("npy", "");
    if (name.empty() || fs::path(name).filename() != fs::path(name))
      throw Error("model '" + path.string() + "': a sidecar must be a file name beside it, got " +
                  state["npy"].dump());
    const fs::path sidecar = path.parent_path() / name;
    std::ifstream in(sidecar, std::ios::binary);
    if (!in)
      throw Error("model '" + path.string() + "': its sidecar '" + sidecar.string() +
                  "' is missing");
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (content_hash(bytes.data(), bytes.size()) != state.value("checksum", ""))
      throw Error("model '" + path.string() + "': sidecar '" + sidecar.string() +
                  "' does not match its checksum (changed or truncated)");
    const Array values = parse_npy(bytes, sidecar.string());
    if (values.rows() != state["rows"].get<Eigen::Index>() ||
        values.cols() != state["cols"].get<Eigen::Index>())
      throw Error("model '" + path.string() + "': sidecar '" + sidecar.string() + "' is " +
                  std::to_string(values.rows()) + "x" + std::to_string(values.cols()) +
                  ", the model says " + state["rows"].dump() + "x" + state["cols"].dump());
    state.erase("npy");
    state.erase("checksum");
    state["data"] = std::vector<Real>(values.data(), values.data() + values.size());
    return;
  }
  if (state.is_object() || state.is_array()) {
    for (auto& child : state) resolve_sidecars(child, path);
  }
}

// Checks the document's schema and fields; errors name `source` and the field.
void check_document(const Json& document, const std::string& source) {
  try {
    const JsonObject root(document, "model");
    if (root.string("schema", "") != "nmfbench-model")
      throw Error("not an nmfbench model file (expected \"schema\": \"nmfbench-model\")");
    if (root.integer("schema_version", 0, 1 << 30, 0) != kSchemaVersion)
      throw Error("schema version " + document.value("schema_version", Json(0)).dump() +
                  ", expected " + std::to_string(kSchemaVersion));
    for (const char* field : {"method", "parameters", "task", "sample_rate", "stft", "state"})
      root.get(field);
  } catch (const Error& e) {
    throw Error(source + ": " + e.what());
  }
}

// What a method's load_state does not check: separating needs the bases of two or more
// sources, each finite, non-negative and not all zero; otherwise every estimate is the whole
// mixture, silence or NaN.
void check_separation_bases(const JsonObject& state) {
  const ParameterSet bases = ParameterSet::from_json(state.get("bases"));
  if (bases.names().size() < 2) {
    throw Error(state.at("bases") + ": holds the bases of " + std::to_string(bases.names().size()) +
                " source(s); separating needs two or more");
  }
  for (const auto& name : bases.names()) {
    const Array& w = bases.value(name);
    if (!all_finite(w) || (w < 0).any() || !(w.sum() > 0))
      throw Error(state.at("bases") + "." + name +
                  ": expected finite, non-negative bases that are not all zero");
  }
}

std::string source_of(const std::filesystem::path& path) {
  return "model '" + path.string() + "'";
}

// The document at `path` with its sidecars put back.
Json read_document(const std::filesystem::path& path) {
  Json document = read_json_file(path, "model");
  check_document(document, source_of(path));
  resolve_sidecars(document["state"], path);
  return document;
}

}  // namespace

Json model_document(const ExperimentSpec& spec, const MethodConfig& config, const Json& state) {
  return {{"schema", "nmfbench-model"},
          {"schema_version", kSchemaVersion},
          {"method", config.method},
          {"label", config.label},
          {"parameters", config.parameters},
          {"task", to_string(spec.task)},
          {"sample_rate", spec.sample_rate},
          {"stft", spec.source["stft"]},
          {"state", state}};
}

std::vector<std::pair<fs::path, std::string>> model_files(const fs::path& path,
                                                          const Json& document) {
  Json stored = document;
  std::vector<std::pair<fs::path, std::string>> files;
  if (stored.contains("state")) extract_sidecars(stored["state"], path, files);
  files.emplace_back(path, stored.dump() + "\n");
  return files;
}

Json read_model_state(const std::filesystem::path& path) {
  return read_document(path)["state"];
}

Model model_from_json(const Json& document, const std::string& source) {
  check_document(document, source);
  try {
    const JsonObject root(document, "model");
    Model model;
    const std::string method = root.string("method");
    model.label = root.string("label", method);
    try {
      model.task = parse_task(root.string("task"));
    } catch (const Error&) {
      json_fail("model.task", root.get("task"), "\"denoise\" or \"separate\"");
    }
    // The range a spec allows: a rate beyond it cannot be resampled to.
    model.sample_rate = static_cast<int>(root.integer("sample_rate", 1000, 192000));
    model.stft = parse_stft(root.get("stft"), "model.stft");
    try {
      model.method = method_registry().make(method, model.task, root.get("parameters"));
    } catch (const Error& e) {
      throw Error("model.parameters: " + std::string(e.what()));
    }
    try {
      model.method->load_state(root.get("state"));
    } catch (const std::exception& e) {
      throw Error("model.state: " + std::string(e.what()));
    }
    // Factorisation models carry the bases learnt per source; a model of another kind has
    // checked its state in load_state().
    const JsonObject state = root.object("state");
    if (model.task == Task::separate && state.has("bases")) check_separation_bases(state);
    return model;
  } catch (const Error& e) {
    throw Error(source + ": " + e.what());
  }
}

Model read_model(const std::filesystem::path& path) {
  return model_from_json(read_document(path), source_of(path));
}

}  // namespace nmfbench::exp
