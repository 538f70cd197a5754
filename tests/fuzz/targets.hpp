#pragma once

// The fuzz targets: every reader of outside input, fed arbitrary bytes. Each returns when the
// input is accepted or rejected with nmfbench's Error (a message naming the input); any other
// exception, a sanitizer report or a crash is a finding. libFuzzer runs them (tests/fuzz/run.sh)
// and the test suite replays the findings kept in tests/fuzz/regressions/<target>/.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nmfbench::fuzz {

// WAV, FLAC, SPHERE... through libsndfile and read_audio's checks.
void audio(const std::uint8_t* data, std::size_t size);
// An experiment spec: parse, validate, and key its cells.
void spec(const std::uint8_t* data, std::size_t size);
// A folder manifest, CSV when it starts with the CSV header, JSON otherwise.
void manifest(const std::uint8_t* data, std::size_t size);
// A model file, loaded into its method.
void model(const std::uint8_t* data, std::size_t size);
// A results file: checked, tabulated in every format, its example chosen, its cells aggregated.
void results(const std::uint8_t* data, std::size_t size);

struct Target {
  std::string name;
  void (*run)(const std::uint8_t*, std::size_t);
};
const std::vector<Target>& targets();

}  // namespace nmfbench::fuzz
