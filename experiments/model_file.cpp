#include "experiments/model_file.hpp"

#include "core/json_field.hpp"
#include "core/optim/parameters.hpp"
#include "methods/registry.hpp"

namespace nmfbench::exp {
namespace {

constexpr int kSchemaVersion = 1;

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

Json read_model_state(const std::filesystem::path& path) {
  const Json document = read_json_file(path, "model");
  check_document(document, source_of(path));
  return document["state"];
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
    if (model.task == Task::separate) check_separation_bases(root.object("state"));
    return model;
  } catch (const Error& e) {
    throw Error(source + ": " + e.what());
  }
}

Model read_model(const std::filesystem::path& path) {
  return model_from_json(read_json_file(path, "model"), source_of(path));
}

}  // namespace nmfbench::exp
