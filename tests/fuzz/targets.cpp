#include "tests/fuzz/targets.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

#include "core/audio_io.hpp"
#include "core/json.hpp"
#include "datasets/manifest.hpp"
#include "experiments/model_file.hpp"
#include "experiments/spec.hpp"
#include "plotting/figures.hpp"
#include "results/record_checks.hpp"
#include "results/results.hpp"

namespace nmfbench::fuzz {
namespace {

std::string_view text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Runs `f`; nmfbench's Error is a rejection, anything else escapes to the fuzzer.
template <typename F>
void rejecting(F&& f) {
  try {
    f();
  } catch (const Error&) {
  }
}

// libsndfile reads files: one per process (in TMPDIR; run.sh uses /dev/shm), rewritten for
// every input and removed at exit.
class ScratchFile {
 public:
  ScratchFile()
      : path_(std::filesystem::temp_directory_path() /
              ("nmfbench-fuzz-" + std::to_string(getpid()) + ".audio")) {}
  ~ScratchFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  const std::filesystem::path& write(const std::uint8_t* data, std::size_t size) const {
    std::ofstream(path_, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    return path_;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace

void audio(const std::uint8_t* data, std::size_t size) {
  static const ScratchFile file;
  const std::filesystem::path& path = file.write(data, size);
  // Half the inputs choose a channel, so that both channel rules are fuzzed at the cost of one.
  rejecting([&] { read_audio(path, {size % 2 == 0 ? -1 : 0}); });
}

void spec(const std::uint8_t* data, std::size_t size) {
  rejecting([&] { exp::cell_identity(exp::parse_spec(parse_json(text(data, size), "spec"))); });
}

void manifest(const std::uint8_t* data, std::size_t size) {
  rejecting([&] {
    const std::string_view input = text(data, size);
    if (input.rfind("id,split,role,file", 0) == 0) {
      std::istringstream in{std::string(input)};
      data::parse_manifest_csv(in, "manifest.csv");
    } else {
      data::parse_manifest_json(parse_json(input, "manifest.json"), "manifest.json");
    }
  });
}

void model(const std::uint8_t* data, std::size_t size) {
  rejecting([&] { exp::model_from_json(parse_json(text(data, size), "model"), "model"); });
}

void results(const std::uint8_t* data, std::size_t size) {
  rejecting([&] {
    const Json document = parse_json(text(data, size), "results");
    results::check_results(document, "results");
    for (const char* format : {"md", "latex", "csv"}) results::render_tables(document, format);
    results::make_results(document["manifest"], document["cells"]);
    plot::best_example_key(document);
  });
}

const std::vector<Target>& targets() {
  static const std::vector<Target> all = {{"audio", audio},
                                          {"spec", spec},
                                          {"manifest", manifest},
                                          {"model", model},
                                          {"results", results}};
  return all;
}

}  // namespace nmfbench::fuzz
