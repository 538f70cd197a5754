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

// The files of a model at `path`: arrays of the state ({"rows", "cols", "data"}) with at
// least kSidecarValues values go to .npy sidecars beside it (PATH_STEM.<i>.npy), which the
// JSON names with their checksums ({"rows", "cols", "npy", "checksum"}); the JSON comes last,
// so that whoever writes the files in order never leaves a model naming a missing sidecar.
inline constexpr std::size_t kSidecarValues = 4096;
std::vector<std::pair<std::filesystem::path, std::string>> model_files(
    const std::filesystem::path& path, const Json& document);

struct Model {
  std::string label;
  std::unique_ptr<Method> method;  // with its state loaded
  Task task = Task::denoise;
  StftConfig stft;
  int sample_rate = 0;
};
// Readers resolve the sidecars (checking their checksums), so methods see plain arrays.
// Throws Error naming the file and the field at fault.
Model read_model(const std::filesystem::path& path);
// The same from a parsed document; errors name `source` ("model 'm.json'").
Model model_from_json(const Json& document, const std::string& source);
// The state of a model file, for a method made from the same configuration.
Json read_model_state(const std::filesystem::path& path);

}  // namespace nmfbench::exp
