#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/autodiff/ops.hpp"
#include "core/json.hpp"
#include "core/types.hpp"

namespace nmfbench::testing {

// Folder of the committed reference data (tests/data).
std::filesystem::path data_dir();

// A fresh, empty temporary folder unique to the calling test.
std::filesystem::path scratch_dir();

Json read_json(const std::filesystem::path& path);

// A float64 .npy file (format version 1, C or Fortran order, 1-D or 2-D), as NumPy writes it.
Array read_npy(const std::filesystem::path& path);

// Writes a mono file in any libsndfile format (e.g. SF_FORMAT_FLAC | SF_FORMAT_PCM_16), for
// fixture trees in the official layouts of the corpora.
void write_audio_file(const std::filesystem::path& path, int format, const Signal& samples,
                      int sample_rate);
// The same with one signal per channel, all of one length (e.g. {left, right}).
void write_audio_file(const std::filesystem::path& path, int format,
                      const std::vector<Signal>& channels, int sample_rate);

// A reproducible test signal: a few harmonics plus a little noise, from the named stream.
Signal test_signal(Eigen::Index length, const std::string& key);

// One multiplicative-update iteration of Itakura-Saito NMF on the tape, W then H: the
// composition the unrolled methods are built from.
std::pair<ad::Var, ad::Var> is_nmf_iteration(const ad::Var& Y, ad::Var W, ad::Var H);

struct CommandResult {
  int exit_code;
  std::string output;  // stdout and stderr together
};

// Runs a shell command line and collects its exit code and output.
CommandResult run_command(const std::string& command);

// The message of the Error `f` throws, or "" if it throws none.
template <typename F>
std::string error_message(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace nmfbench::testing
