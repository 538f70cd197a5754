#include "core/audio_io.hpp"

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

namespace nmfbench {
namespace {

struct SndfileCloser {
  void operator()(SNDFILE* file) const { sf_close(file); }
};
using SndfileHandle = std::unique_ptr<SNDFILE, SndfileCloser>;

// About 9 hours at 8 kHz: far more than any corpus file, far less than memory.
constexpr sf_count_t kMaxSamples = sf_count_t{1} << 28;
constexpr int kBlockSamples = 1 << 16;

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& reason) {
  throw Error("audio file '" + path.string() + "': " + reason);
}

bool readable(const std::filesystem::path& path) {
  return std::ifstream(path).good();
}

// libsndfile silently shortens a WAV/AIFF whose data chunk runs past the end of the file,
// and says so only in its log ("data : 192000 (should be 49920)"). A benchmark must not
// score half a file, so that line is turned into an error.
std::string truncated_data_note(SNDFILE* file) {
  std::string log(8192, '\0');
  sf_command(file, SFC_GET_LOG_INFO, log.data(), static_cast<int>(log.size()));
  std::istringstream lines(log.c_str());
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("data", 0) == 0 && line.find("(should be") != std::string::npos) return line;
  }
  return "";
}

}  // namespace

Audio read_audio(const std::filesystem::path& path, const AudioReadOptions& options) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) fail(path, "no such file");
  if (std::filesystem::is_directory(path, ec)) fail(path, "is a directory, expected an audio file");
  if (!readable(path)) fail(path, "cannot be opened for reading (permissions?)");

  SF_INFO info{};
  SndfileHandle file(sf_open(path.c_str(), SFM_READ, &info));
  if (!file) {
    fail(path, std::string("not a readable audio file (") + sf_strerror(nullptr) +
                   "); expected WAV, FLAC or NIST SPHERE");
  }
  if (const auto note = truncated_data_note(file.get()); !note.empty()) {
    fail(path, "truncated: the header declares more audio than the file holds (" + note + ")");
  }
  if (info.frames <= 0) fail(path, "holds no samples (zero length)");
  if (info.channels <= 0) fail(path, "reports no channels");
  if (info.samplerate <= 0)
    fail(path, "reports a sample rate of " + std::to_string(info.samplerate) + " Hz");
  if (options.channel >= info.channels) {
    fail(path, "channel " + std::to_string(options.channel) + " requested, but the file has " +
                   std::to_string(info.channels) + " channel(s)");
  }
  if (options.channel < 0 && info.channels > 2) {
    fail(path, "unsupported channel count " + std::to_string(info.channels) +
                   "; expected mono or stereo, or choose one channel explicitly");
  }

  if (info.frames > kMaxSamples / info.channels) {
    fail(path, "declares " + std::to_string(info.frames) + " frames of " +
                   std::to_string(info.channels) + " channel(s); at most " +
                   std::to_string(kMaxSamples) + " samples are supported");
  }
  // Read in blocks rather than allocating what the header declares, which a damaged or hostile
  // header can overstate.
  const sf_count_t block_frames = std::max(1, kBlockSamples / info.channels);
  std::vector<double> interleaved, block(static_cast<size_t>(block_frames * info.channels));
  sf_count_t got = 0;
  while (got < info.frames) {
    const sf_count_t n = sf_readf_double(file.get(), block.data(), block_frames);
    if (n <= 0) break;
    interleaved.insert(interleaved.end(), block.begin(), block.begin() + n * info.channels);
    got += n;
  }
  if (got != info.frames) {
    fail(path, "truncated or corrupt: read " + std::to_string(got) + " of " +
                   std::to_string(info.frames) + " frames");
  }
  const auto frames = static_cast<Eigen::Index>(got);

  Eigen::Map<const Eigen::Array<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> by_frame(
      interleaved.data(), frames, info.channels);
  Audio audio;
  audio.sample_rate = info.samplerate;
  if (options.channel >= 0) {
    audio.samples = by_frame.col(options.channel).cast<Real>();
  } else {
    audio.samples = by_frame.rowwise().mean().cast<Real>();
  }
  if (!all_finite(audio.samples)) fail(path, "contains NaN or infinite samples");
  // Every score divides energies; samples whose squares overflow cannot be scored.
  if (!std::isfinite(audio.samples.square().sum()))
    fail(path,
         "holds samples too large to score (their energy overflows); expected audio at "
         "full scale 1.0");
  return audio;
}

void write_wav(const std::filesystem::path& path, const Audio& audio, WavEncoding encoding) {
  if (audio.sample_rate <= 0) {
    fail(path, "cannot write with sample rate " + std::to_string(audio.sample_rate));
  }
  if (!all_finite(audio.samples)) fail(path, "refusing to write NaN or infinite samples");
  SF_INFO info{};
  info.samplerate = audio.sample_rate;
  info.channels = 1;
  info.format =
      SF_FORMAT_WAV | (encoding == WavEncoding::pcm16 ? SF_FORMAT_PCM_16 : SF_FORMAT_FLOAT);
  SndfileHandle file(sf_open(path.c_str(), SFM_WRITE, &info));
  if (!file) fail(path, std::string("cannot be created (") + sf_strerror(nullptr) + ")");
  if (encoding == WavEncoding::pcm16) {
    // Clip explicitly: libsndfile would otherwise wrap values beyond full scale.
    sf_command(file.get(), SFC_SET_CLIPPING, nullptr, SF_TRUE);
  }
  const Eigen::ArrayXd samples = audio.samples.cast<double>();
  const sf_count_t wrote = sf_writef_double(file.get(), samples.data(), samples.size());
  if (wrote != samples.size()) fail(path, "write failed (disk full?)");
}

}  // namespace nmfbench
