#include "experiments/model_file.hpp"

#include <fstream>
#include <iterator>

#include "core/npy.hpp"
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

Json read_document(const std::filesystem::path& path) {
  const Json document = read_json_file(path, "model");
  if (!document.is_object() || document.value("schema", "") != "nmfbench-model")
    throw Error("model '" + path.string() +
                "': not an nmfbench model file (expected \"schema\": " + "\"nmfbench-model\")");
  if (document.value("schema_version", 0) != kSchemaVersion)
    throw Error("model '" + path.string() + "': schema version " +
                document.value("schema_version", Json(0)).dump() + ", expected " +
                std::to_string(kSchemaVersion));
  for (const char* field : {"method", "parameters", "task", "sample_rate", "stft", "state"}) {
    if (!document.contains(field))
      throw Error("model '" + path.string() + "': the field '" + field + "' is missing");
  }
  Json resolved = document;
  resolve_sidecars(resolved["state"], path);
  return resolved;
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

Model read_model(const std::filesystem::path& path) {
  const Json document = read_document(path);
  const std::string where = "model '" + path.string() + "': ";
  try {
    Model model;
    model.label = document.value("label", document["method"].get<std::string>());
    model.task = parse_task(document["task"].get<std::string>());
    model.sample_rate = document["sample_rate"].get<int>();
    model.stft = parse_stft(document["stft"], "stft");
    model.method = method_registry().make(document["method"].get<std::string>(), model.task,
                                          document["parameters"]);
    model.method->load_state(document["state"]);
    return model;
  } catch (const Json::exception& e) {
    throw Error(where + e.what());
  } catch (const Error& e) {
    throw Error(where + e.what());
  }
}

}  // namespace nmfbench::exp
