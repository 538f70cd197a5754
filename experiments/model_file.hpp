#pragma once

#include <filesystem>
#include <memory>

#include "experiments/spec.hpp"

namespace nmfbench::exp {

// A trained model on disk, self-contained so that `nmfbench denoise|separate --model` can run
// it on a user's audio: the method and its parameters, the task and analysis it was trained
// for, and its state (Method::save_state()).
//   {"schema": "nmfbench-model", "schema_version": 1, "method", "label", "parameters",
//    "task", "sample_rate", "stft", "state"}
Json model_document(const ExperimentSpec& spec, const MethodConfig& config, const Json& state);

struct Model {
  std::string label;
  std::unique_ptr<Method> method;  // with its state loaded
  Task task = Task::denoise;
  StftConfig stft;
  int sample_rate = 0;
};
// Throws Error naming the file and the field at fault.
Model read_model(const std::filesystem::path& path);
// The same from a parsed document; errors name `source` ("model 'm.json'").
Model model_from_json(const Json& document, const std::string& source);
// The state of a model file, for a method made from the same configuration.
Json read_model_state(const std::filesystem::path& path);

}  // namespace nmfbench::exp
