#include "test_support.hpp"

#include "core/npy.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>
#include <sys/wait.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <numbers>

#include "core/random.hpp"

namespace nmfbench::testing {

std::filesystem::path data_dir() {
  return NMFBENCH_TEST_DATA;
}

std::filesystem::path scratch_dir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "bench";
  for (auto& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.') c = '_';
  }
  const auto dir = std::filesystem::temp_directory_path() / "nmfbench_tests" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

CommandResult run_command(const std::string& command) {
  const std::string line = command + " 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(line.c_str(), "r"), pclose);
  std::string output;
  std::array<char, 4096> buffer{};
  while (const auto n = fread(buffer.data(), 1, buffer.size(), pipe.get()))
    output.append(buffer.data(), n);
  return {WEXITSTATUS(pclose(pipe.release())), output};
}

Json read_json(const std::filesystem::path& path) {
  return read_json_file(path, "test data");
}

Array read_npy(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  return parse_npy(bytes, path.string());
}

void write_audio_file(const std::filesystem::path& path, int format, const Signal& samples,
                      int sample_rate) {
  write_audio_file(path, format, std::vector<Signal>{samples}, sample_rate);
}

void write_audio_file(const std::filesystem::path& path, int format,
                      const std::vector<Signal>& channels, int sample_rate) {
  std::filesystem::create_directories(path.parent_path());
  SF_INFO info{};
  info.samplerate = sample_rate;
  info.channels = static_cast<int>(channels.size());
  info.format = format;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  if (!f) throw Error("cannot write fixture " + path.string() + ": " + sf_strerror(nullptr));
  // libsndfile takes the channels interleaved: one row per channel, column-major.
  Array interleaved(channels.size(), channels.front().size());
  for (std::size_t c = 0; c < channels.size(); ++c) interleaved.row(c) = channels[c].transpose();
  sf_writef_double(f, interleaved.data(), interleaved.cols());
  sf_close(f);
}

Signal test_signal(Eigen::Index length, const std::string& key) {
  RandomStream rng(7, key);
  Signal x(length);
  const Real f = 0.01 + 0.02 * rng.uniform();
  for (Eigen::Index i = 0; i < length; ++i) {
    const Real t = static_cast<Real>(i);
    x[i] = std::sin(2 * std::numbers::pi * f * t) +
           0.5 * std::sin(2 * std::numbers::pi * 2.7 * f * t + 1) + 0.1 * rng.normal();
  }
  return x;
}

std::pair<ad::Var, ad::Var> is_nmf_iteration(const ad::Var& Y, ad::Var W, ad::Var H) {
  using ad::matmul;
  const ad::Var Yhat_w = matmul(W, H);
  W = W * matmul(Y / ad::square(Yhat_w), H, false, true) / matmul(1.0 / Yhat_w, H, false, true);
  const ad::Var Yhat_h = matmul(W, H);
  H = H * matmul(W, Y / ad::square(Yhat_h), true, false) / matmul(W, 1.0 / Yhat_h, true, false);
  return {W, H};
}

}  // namespace nmfbench::testing
