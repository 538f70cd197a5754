#include "experiments/model_file.hpp"

#include "methods/registry.hpp"

namespace nmfbench::exp {
namespace {

constexpr int kSchemaVersion = 1;

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
