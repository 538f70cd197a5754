// nmfbench plot: every figure kind from a small results document, as valid images of the
// requested size, with data files that hold the results' numbers.
#include "plotting/figures.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>

#include "test_support.hpp"

namespace nmfbench::plot {
namespace {

namespace fs = std::filesystem;

Json small_results() {
  Json results = {
      {"schema", "nmfbench-results"},
      {"schema_version", 1},
      {"manifest",
       {{"spec", {{"name", "tiny_spec"}}}, {"data", "embedded stand-in"}, {"commit", "abc123"}}},
      {"cells", Json::array()},
      {"aggregates", Json::array()},
      {"models", Json::object()}};
  const std::array<const char*, 2> methods = {"t train_steps=0", "t train_steps=5"};
  for (const char* method : methods) {
    for (const char* split : {"A", "B"}) {
      for (int example = 0; example < 3; ++example) {
        const Real value = (method == methods[1] ? 2.5 : 1.0) + 0.25 * example;
        results["cells"].push_back({{"key", std::string(method) + "|" + split + "|ex" +
                                                std::to_string(example) + "|d0|i0"},
                                    {"method", method},
                                    {"status", "ok"},
                                    {"final", {{"mean_si_sdr_imp", value}}}});
      }
      for (int iteration : {0, 10, 20})
        results["aggregates"].push_back({{"method", method},
                                         {"split", split},
                                         {"iteration", iteration},
                                         {"mean", 0.125 * iteration + (split[0] == 'B')}});
    }
    results["models"][method] = {{"trained", method == methods[1]},
                                 {"learned_pdf",
                                  {{"magnitude", {0.01, 0.1, 1.0, 10.0}},
                                   {"log_pdf", {-1.1, -1.2, -2.0, -7.5}},
                                   {"gaussian_log_pdf", {-1.144, -1.154, -2.144, -101.14}}}}};
  }
  return results;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Width and height from a PNG's IHDR chunk (big-endian at bytes 16 and 20).
std::pair<int, int> png_size(const fs::path& path) {
  const std::string bytes = read_text(path);
  EXPECT_GE(bytes.size(), 24u);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8)) << path;
  auto word = [&](std::size_t at) {
    int v = 0;
    for (std::size_t i = 0; i < 4; ++i) v = v * 256 + static_cast<unsigned char>(bytes[at + i]);
    return v;
  };
  return {word(16), word(20)};
}

TEST(Plot, EveryFigureAsPngOfTheRequestedSize) {
  const auto dir = testing::scratch_dir();
  const auto figures = write_figures(small_results(), {dir, "png", 640, 400});
  ASSERT_EQ(figures.size(), 3u);
  ASSERT_TRUE(draw(figures));
  for (const auto& f : figures) {
    EXPECT_TRUE(fs::exists(f.script)) << f.name;
    EXPECT_EQ(png_size(f.image), std::make_pair(640, 400)) << f.name;
  }
  // The data files hold the results' numbers.
  const std::string curves = read_text(dir / "curves.dat");
  EXPECT_NE(curves.find("# split B, method t train_steps=5\n0 1\n10 2.25\n20 3.5\n"),
            std::string::npos)
      << curves;
  EXPECT_NE(read_text(dir / "pdfs.dat").find("10 -7.5 -101.14"), std::string::npos);
  EXPECT_NE(read_text(dir / "distributions.dat").find("1 3 \"t train_steps=5|A|ex2|d0|i0\""),
            std::string::npos);
  // Captions name the spec, the data and the commit; untrained models are dashed.
  const std::string script = read_text(dir / "curves.gp");
  EXPECT_NE(script.find("spec tiny_spec | data: embedded stand-in | commit abc123"),
            std::string::npos);
  EXPECT_NE(script.find("dt 2 title \"t train_steps=0\""), std::string::npos);
  EXPECT_NE(script.find("set ylabel 'SI-SDR improvement [dB]'"), std::string::npos);
}

TEST(Plot, SvgOfTheRequestedSize) {
  const auto dir = testing::scratch_dir();
  const auto figures = write_figures(small_results(), {dir, "svg", 700, 420});
  ASSERT_TRUE(draw(figures));
  for (const auto& f : figures) {
    const std::string svg = read_text(f.image);
    EXPECT_NE(svg.find("<svg"), std::string::npos) << f.name;
    EXPECT_NE(svg.find("width=\"700\""), std::string::npos) << f.name;
    EXPECT_NE(svg.find("height=\"420\""), std::string::npos) << f.name;
  }
}

TEST(Plot, ResultsWithoutModelsHaveNoPdfFigure) {
  Json results = small_results();
  results.erase("models");
  const auto figures = write_figures(results, {testing::scratch_dir(), "png", 640, 400});
  ASSERT_EQ(figures.size(), 2u);
  EXPECT_EQ(figures[0].name, "curves");
  EXPECT_EQ(figures[1].name, "distributions");
}

TEST(Plot, BadOptionsAreErrors) {
  EXPECT_NE(testing::error_message([] {
              write_figures(small_results(), {testing::scratch_dir(), "gif", 640, 400});
            }).find("expected png or svg"),
            std::string::npos);
}

// Without gnuplot the command says so and still writes the scripts and data.
TEST(Plot, WithoutGnuplotTheScriptsAndDataAreWritten) {
  const auto dir = testing::scratch_dir();
  std::ofstream(dir / "results.json") << small_results().dump();
  const std::string command = "PATH=/nonexistent " + std::string(NMFBENCH_BINARY) + " plot " +
                              (dir / "results.json").string() + " 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  std::string output;
  std::array<char, 4096> buffer{};
  while (const auto n = fread(buffer.data(), 1, buffer.size(), pipe.get()))
    output.append(buffer.data(), n);
  EXPECT_EQ(WEXITSTATUS(pclose(pipe.release())), 0) << output;
  EXPECT_NE(output.find("gnuplot is not installed"), std::string::npos) << output;
  for (const char* file : {"curves.dat", "curves.gp", "pdfs.gp", "distributions.dat"})
    EXPECT_TRUE(fs::exists(dir / "figures" / file)) << file;
  EXPECT_FALSE(fs::exists(dir / "figures" / "curves.png"));
}

}  // namespace
}  // namespace nmfbench::plot
