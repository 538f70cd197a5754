#include "core/audio_io.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <fstream>
#include <limits>

#include "test_support.hpp"

namespace nmfbench {
namespace {

using testing::error_message;

// Writes interleaved frames with libsndfile directly, so the reader is tested against files
// it did not write itself.
void write_raw(const std::filesystem::path& path, int format, int channels,
               const std::vector<double>& interleaved, int rate = 8000) {
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = format;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr) << sf_strerror(nullptr);
  sf_writef_double(f, interleaved.data(), static_cast<sf_count_t>(interleaved.size() / channels));
  sf_close(f);
}

TEST(AudioIo, Float32WavRoundTripIsExactForFloatValues) {
  const auto dir = testing::scratch_dir();
  Audio a{(testing::test_signal(1000, "wav") * 0.3).cast<float>().cast<Real>(), 16000};
  write_wav(dir / "a.wav", a, WavEncoding::float32);
  const Audio b = read_audio(dir / "a.wav");
  EXPECT_EQ(b.sample_rate, 16000);
  ASSERT_EQ(b.samples.size(), 1000);
  EXPECT_EQ((b.samples - a.samples).abs().maxCoeff(), 0.0);
}

TEST(AudioIo, Pcm16QuantisesAndClips) {
  const auto dir = testing::scratch_dir();
  Signal x(4);
  x << 0.25, -0.5, 1.7, -3.0;
  write_wav(dir / "p.wav", {x, 8000}, WavEncoding::pcm16);
  const Audio b = read_audio(dir / "p.wav");
  EXPECT_NEAR(b.samples[0], 0.25, 1.0 / 32768);
  EXPECT_NEAR(b.samples[1], -0.5, 1.0 / 32768);
  EXPECT_NEAR(b.samples[2], 1.0, 1.0 / 32768);  // clipped, not wrapped around
  EXPECT_NEAR(b.samples[3], -1.0, 1.0 / 32768);
}

TEST(AudioIo, StereoIsAveragedAndAChannelCanBeChosen) {
  const auto dir = testing::scratch_dir();
  write_raw(dir / "s.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 2, {0.5, 0.25, -0.5, 0.0});
  const Audio mixed = read_audio(dir / "s.wav");
  ASSERT_EQ(mixed.samples.size(), 2);
  EXPECT_DOUBLE_EQ(mixed.samples[0], 0.375);
  EXPECT_DOUBLE_EQ(mixed.samples[1], -0.25);
  const Audio right = read_audio(dir / "s.wav", {.channel = 1});
  EXPECT_DOUBLE_EQ(right.samples[0], 0.25);
}

TEST(AudioIo, ReadsFlacAndNistSphere) {
  const auto dir = testing::scratch_dir();
  const std::vector<double> v = {0.0, 0.5, -0.25, 0.125};
  write_raw(dir / "x.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 1, v, 16000);
  write_raw(dir / "x.sph", SF_FORMAT_NIST | SF_FORMAT_PCM_16, 1, v, 16000);
  for (const char* name : {"x.flac", "x.sph"}) {
    const Audio a = read_audio(dir / name);
    EXPECT_EQ(a.sample_rate, 16000) << name;
    ASSERT_EQ(a.samples.size(), 4) << name;
    for (int i = 0; i < 4; ++i) EXPECT_NEAR(a.samples[i], v[i], 1.0 / 32768) << name;
  }
}

TEST(AudioIo, ErrorsNameTheFileAndTheReason) {
  const auto dir = testing::scratch_dir();
  const auto missing = dir / "missing.wav";
  auto msg = error_message([&] { read_audio(missing); });
  EXPECT_NE(msg.find(missing.string()), std::string::npos) << msg;
  EXPECT_NE(msg.find("no such file"), std::string::npos) << msg;

  std::ofstream(dir / "text.wav") << "this is not audio at all, just some text\n";
  msg = error_message([&] { read_audio(dir / "text.wav"); });
  EXPECT_NE(msg.find("text.wav"), std::string::npos) << msg;
  EXPECT_NE(msg.find("not a readable audio file"), std::string::npos) << msg;

  write_raw(dir / "empty.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, {});
  msg = error_message([&] { read_audio(dir / "empty.wav"); });
  EXPECT_NE(msg.find("zero length"), std::string::npos) << msg;

  write_raw(dir / "quad.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 3, {0, 0, 0, 1, 1, 1});
  msg = error_message([&] { read_audio(dir / "quad.wav"); });
  EXPECT_NE(msg.find("unsupported channel count 3"), std::string::npos) << msg;
  msg = error_message([&] { read_audio(dir / "quad.wav", {.channel = 5}); });
  EXPECT_NE(msg.find("channel 5"), std::string::npos) << msg;

  msg = error_message([&] { read_audio(dir); });
  EXPECT_NE(msg.find("is a directory"), std::string::npos) << msg;

  const double nan = std::numeric_limits<double>::quiet_NaN();
  write_raw(dir / "nan.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 1, {0.0, nan});
  msg = error_message([&] { read_audio(dir / "nan.wav"); });
  EXPECT_NE(msg.find("NaN"), std::string::npos) << msg;
}

TEST(AudioIo, TruncatedFilesAreErrorsNotShorterSignals) {
  const auto dir = testing::scratch_dir();
  write_wav(dir / "full.wav", {testing::test_signal(4000, "trunc"), 8000});
  const auto size = std::filesystem::file_size(dir / "full.wav");
  for (auto [name, bytes] :
       {std::pair{"half.wav", size / 2}, std::pair{"header.wav", std::uintmax_t(44)}}) {
    std::filesystem::copy_file(dir / "full.wav", dir / name);
    std::filesystem::resize_file(dir / name, bytes);
    const auto msg = error_message([&] { read_audio(dir / name); });
    EXPECT_NE(msg.find(name), std::string::npos) << msg;
    EXPECT_TRUE(msg.find("truncated") != std::string::npos ||
                msg.find("not a readable") != std::string::npos)
        << msg;
  }
  EXPECT_NE(error_message([&] { read_audio(dir / "half.wav"); }).find("truncated"),
            std::string::npos);
  EXPECT_EQ(read_audio(dir / "full.wav").samples.size(), 4000);
}

TEST(AudioIo, WritingRejectsNonFiniteSamplesAndBadRates) {
  const auto dir = testing::scratch_dir();
  Signal x = Signal::Zero(3);
  x[1] = std::numeric_limits<Real>::infinity();
  EXPECT_NE(error_message([&] {
              write_wav(dir / "inf.wav", {x, 8000});
            }).find("NaN or infinite"),
            std::string::npos);
  EXPECT_NE(error_message([&] {
              write_wav(dir / "r.wav", {Signal::Zero(3), 0});
            }).find("sample rate"),
            std::string::npos);
  EXPECT_NE(error_message([&] {
              write_wav(dir / "no/such/dir/x.wav", {Signal::Zero(3), 8000});
            }).find("cannot be created"),
            std::string::npos);
}

}  // namespace
}  // namespace nmfbench
