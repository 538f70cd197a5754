// nmfbench plot: every figure kind from a small results document, as valid images of the
// requested size, with data files that hold the results' numbers.
#include "plotting/figures.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <tuple>

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
                                    {"split", split},
                                    {"status", "ok"},
                                    {"curve", {{{"iteration", 20}, {"mean_si_sdr_imp", value}}}},
                                    {"final", {{"iteration", 20}, {"mean_si_sdr_imp", value}}}});
      }
      for (int iteration : {0, 10, 20})
        results["aggregates"].push_back({{"method", method},
                                         {"split", split},
                                         {"iteration", iteration},
                                         {"mean", 0.125 * iteration + (split[0] == 'B')},
                                         {"median", 0.125 * iteration},
                                         {"std", 0.5}});
    }
    Json log = Json::array();
    if (method == methods[1]) {
      for (int step = 1; step <= 4; ++step) {
        log.push_back({{"step", step}, {"loss", 1.0 / step}});
        if (step % 2 == 0) log.back()["validation_loss"] = 1.5 / step;
      }
    }
    results["models"][method] = {{"trained", method == methods[1]},
                                 {"training_log", log},
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
  ASSERT_EQ(figures.size(), 4u);
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
  // The learning curves: training loss at every step, validation loss at its evaluations.
  const std::string learning = read_text(dir / "learning.dat");
  EXPECT_NE(learning.find("# method t train_steps=5, training\n1 1\n2 0.5\n3 "), std::string::npos)
      << learning;
  EXPECT_NE(learning.find("# method t train_steps=5, validation\n2 0.75\n4 0.375\n"),
            std::string::npos)
      << learning;
  EXPECT_EQ(learning.find("train_steps=0"), std::string::npos);
  EXPECT_NE(read_text(dir / "distributions.dat").find("1 3 \"t train_steps=5|A|ex2|d0|i0\""),
            std::string::npos);
  // Captions name the spec, the data and the commit; untrained models are dashed.
  const std::string script = read_text(dir / "curves.gp");
  EXPECT_NE(script.find("spec tiny_spec | data: embedded stand-in | commit abc123"),
            std::string::npos);
  EXPECT_NE(script.find("dt 2 title \"t train_steps=0\""), std::string::npos);
  EXPECT_NE(script.find("set ylabel 'SI-SDR improvement [dB]'"), std::string::npos);
}

// Two sources, four bins, three frames and two components per source, at round dB levels.
ExampleView small_view() {
  ExampleView v;
  v.key = "t train_steps=5|A|ex0|d0|i0";
  v.frequencies = {0, 1000, 2000, 3000};
  v.times = {0, 0.5, 1};
  v.mixture = Array::Constant(4, 3, 100);  // 20 dB
  v.mixture(2, 1) = 1e4;                   // 40 dB
  v.references = {Array::Constant(4, 3, 10), Array::Constant(4, 3, 1)};
  v.estimates = {Array::Constant(4, 3, 1e-3), Array::Constant(4, 3, 1e6)};
  v.improvements = {3.25, -1.5};
  v.bases = Array::Constant(4, 4, 0.25);
  v.activations = Array::Constant(4, 3, 10);
  return v;
}

TEST(Plot, ExampleFigureShowsTheSpectrogramsAndTheFactors) {
  const auto dir = testing::scratch_dir();
  const Figure f = write_example(small_results(), small_view(), {dir, "png", 800, 600});
  ASSERT_TRUE(draw({f}));
  EXPECT_EQ(png_size(f.image), std::make_pair(800, 600));
  const std::string data = read_text(f.data);
  EXPECT_NE(data.find("columns s\n3 0 0.5 1\n0 20.0 20.0 20.0\n1000 20.0 20.0 20.0\n"
                      "2000 20.0 40.0 20.0\n"),
            std::string::npos)
      << data;
  EXPECT_NE(data.find("columns component\n4 1 2 3 4\n0 -6.0 -6.0 -6.0 -6.0\n"), std::string::npos);
  EXPECT_NE(data.find("# activations H; rows component, columns s\n3 0 0.5 1\n1 10.0 10.0 10.0\n"),
            std::string::npos);
  EXPECT_NE(data.find("# estimate of source 2\n3 0 0.5 1\n0 60.0 60.0 60.0\n"), std::string::npos);
  const std::string script = read_text(f.script);
  for (const char* expected :
       {"set title \"source 1 estimate (SI-SDRi 3.25 dB)\"",
        "set title \"source 2 estimate (SI-SDRi -1.5 dB)\"", "set ylabel 'frequency [kHz]'",
        "set xlabel 'time [s]'", "set cblabel 'dB'", "set arrow 1 from 2.5, graph 0",
        "spec tiny_spec | data: embedded stand-in | commit abc123"})
    EXPECT_NE(script.find(expected), std::string::npos) << expected;
}

TEST(Plot, ExampleNeedsFactorsAndOneScorePerSource) {
  ExampleView view = small_view();
  view.improvements.pop_back();
  const FigureOptions options{testing::scratch_dir(), "png", 640, 400};
  EXPECT_NE(testing::error_message([&] {
              write_example(small_results(), view, options);
            }).find("a reference, an estimate and a score per source"),
            std::string::npos);
  view = small_view();
  view.bases.resize(0, 0);
  EXPECT_NE(testing::error_message([&] {
              write_example(small_results(), view, options);
            }).find("factorises nothing"),
            std::string::npos);
}

TEST(Plot, TheDefaultExampleIsTheFirstFinishedCellOfTheBestMethod) {
  Json results = small_results();
  EXPECT_EQ(best_example_key(results), "t train_steps=5|A|ex0|d0|i0");
  results["cells"][6] = {
      {"key", "t train_steps=5|A|ex0|d0|i0"}, {"method", "t train_steps=5"}, {"status", "failed"}};
  EXPECT_EQ(best_example_key(results), "t train_steps=5|A|ex1|d0|i0");
  for (auto& cell : results["cells"]) cell["status"] = "failed";
  EXPECT_NE(testing::error_message([&] { best_example_key(results); }).find("no cell"),
            std::string::npos);
}

// A configuration whose training failed has no finished cell: the distributions keep its
// place, empty and marked, and every figure is still drawn.
TEST(Plot, AMethodWithoutFinishedCellsLeavesAnEmptyPlace) {
  const auto dir = testing::scratch_dir();
  Json results = small_results();
  for (auto& cell : results["cells"])
    if (cell["method"] == "t train_steps=5") cell["status"] = "failed";
  const auto figures = write_figures(results, {dir, "png", 640, 400});
  ASSERT_TRUE(draw(figures));
  for (const auto& f : figures) EXPECT_TRUE(fs::exists(f.image)) << f.name;
  const std::string script = read_text(dir / "distributions.gp");
  EXPECT_NE(script.find("\"t train_steps=5 (failed)\" 1"), std::string::npos) << script;
  EXPECT_EQ(script.find("$1 == 1"), std::string::npos) << script;
}

TEST(Plot, SvgOfTheRequestedSize) {
  const auto dir = testing::scratch_dir();
  auto figures = write_figures(small_results(), {dir, "svg", 700, 420});
  figures.push_back(write_example(small_results(), small_view(), {dir, "svg", 700, 420}));
  ASSERT_TRUE(draw(figures));
  for (const auto& f : figures) {
    const std::string svg = read_text(f.image);
    EXPECT_NE(svg.find("<svg"), std::string::npos) << f.name;
    EXPECT_NE(svg.find("width=\"700\""), std::string::npos) << f.name;
    EXPECT_NE(svg.find("height=\"420\""), std::string::npos) << f.name;
  }
}

// A method trained without validation has no validation block; the others' lines still name
// their own blocks.
TEST(Plot, LearningCurvesOfMethodsWithAndWithoutValidation) {
  const auto dir = testing::scratch_dir();
  Json results = small_results();
  results["models"]["t train_steps=0"]["training_log"] = {{{"step", 1}, {"loss", 2.0}}};
  write_figures(results, {dir, "png", 640, 400});
  const std::string script = read_text(dir / "learning.gp");
  EXPECT_NE(script.find("index 0 using 1:2 with lines lw 1 lc 1 title \"t train_steps=0\""),
            std::string::npos)
      << script;
  EXPECT_NE(script.find("index 1 using 1:2 with lines lw 1 lc 1 title \"t train_steps=5\""),
            std::string::npos)
      << script;
  EXPECT_NE(script.find("index 2 using 1:2 with linespoints"), std::string::npos) << script;
  EXPECT_EQ(script.find("index 3"), std::string::npos) << script;
}

TEST(Plot, ResultsWithoutModelsHaveNoPdfFigure) {
  Json results = small_results();
  results.erase("models");
  const auto figures = write_figures(results, {testing::scratch_dir(), "png", 640, 400});
  ASSERT_EQ(figures.size(), 2u);
  EXPECT_EQ(figures[0].name, "curves");
  EXPECT_EQ(figures[1].name, "distributions");
}

// Paper 002's set-up in small: NMF against a NAE at ranks 20 and 100, five examples each, scored
// with BSS Eval and STOI. A method's k-th example scores base + k dB SDR (SIR twice that, SAR
// base) and STOI 0.5 + k / 8, so that the quartiles are round: base + 1, + 2, + 3 dB.
Json scored_results() {
  Json results = small_results();
  results["cells"] = Json::array();
  results["aggregates"] = Json::array();
  results.erase("models");
  const std::array<std::tuple<const char*, int, Real>, 4> methods = {
      std::tuple{"nmf", 20, 10.0}, {"nmf", 100, 8.0}, {"nae", 20, 12.0}, {"nae", 100, 6.0}};
  for (const auto& [family, rank, base] : methods) {
    const std::string label = std::string(family) + " components=" + std::to_string(rank);
    const Json parameters = std::string(family) == "nmf"
                                ? Json{{"beta", 1}, {"components", rank}}
                                : Json{{"components", rank}, {"layers", 1}};
    for (int example = 0; example < 5; ++example) {
      const Real sdr = base + example;
      const Json point = {{"iteration", 200},
                          {"mean_si_sdr_imp", sdr - 1},
                          {"scored",
                           {{"si_sdr_imp", sdr - 1},
                            {"sdr", sdr},
                            {"sir", 2 * sdr},
                            {"sar", base},
                            {"stoi", 0.5 + example / 8.0}}}};
      results["cells"].push_back({{"key", label + "|A|ex" + std::to_string(example) + "|d0|i0"},
                                  {"method", label},
                                  {"parameters", parameters},
                                  {"split", "A"},
                                  {"status", "ok"},
                                  {"curve", {point}},
                                  {"final", point}});
    }
    for (int iteration : {0, 200})
      results["aggregates"].push_back(
          {{"method", label}, {"split", "A"}, {"iteration", iteration}, {"mean", base + 1}});
  }
  return results;
}

std::vector<std::string> names(const std::vector<Figure>& figures) {
  std::vector<std::string> out;
  for (const auto& f : figures) out.push_back(f.name);
  return out;
}

TEST(Plot, Paper002PairedDistributionsAndRankCurves) {
  const auto dir = testing::scratch_dir();
  const auto figures = write_figures(scored_results(), {dir, "png", 900, 700});
  ASSERT_EQ(names(figures),
            (std::vector<std::string>{"curves", "distributions", "paired", "ranks"}));
  ASSERT_TRUE(draw(figures));
  for (const auto& f : figures) EXPECT_EQ(png_size(f.image), std::make_pair(900, 700)) << f.name;
  // Each NAE faces the NMF of its rank: position, side, q1, median, q3 (then half-widths).
  const std::string paired = read_text(dir / "paired.dat");
  for (const char* expected :
       {"# sdr, pair 1, left: nmf components=20\n", "# sdr, pair 2, right: nae components=100\n",
        "# sdr quartiles: position, side, q1, median, q3, their half-widths\n1 -1 11 12 13 ",
        "\n1 1 13 14 15 ", "\n2 -1 9 10 11 ", "\n2 1 7 8 9 ", "# sir quartiles", "\n1 1 26 28 30 ",
        "# sar quartiles", "\n2 1 6 6 6 ",
        "# stoi quartiles: position, side, q1, median, q3, their half-widths\n1 -1 0.625 0.75 "
        "0.875 "})
    EXPECT_NE(paired.find(expected), std::string::npos) << expected << "\n" << paired;
  const std::string paired_script = read_text(dir / "paired.gp");
  for (const char* expected : {"\"nmf | nae\\ncomponents=20\" 1", "set title \"STOI\"",
                               "with filledcurves closed", "with vectors nohead lw 3"})
    EXPECT_NE(paired_script.find(expected), std::string::npos) << expected;
  // The rank sweep: per metric and family, components, median, q1, q3 and the cell count.
  const std::string ranks = read_text(dir / "ranks.dat");
  for (const char* expected :
       {"# sdr, nmf\n20 12 11 13 5\n100 10 9 11 5\n", "# sdr, nae\n20 14 13 15 5\n100 8 7 9 5\n",
        "# stoi, nae\n20 0.75 0.625 0.875 5\n"})
    EXPECT_NE(ranks.find(expected), std::string::npos) << expected << "\n" << ranks;
  const std::string ranks_script = read_text(dir / "ranks.gp");
  EXPECT_NE(ranks_script.find("set xlabel \"components\""), std::string::npos) << ranks_script;
  EXPECT_NE(ranks_script.find("using 1:2:3:4 with yerrorlines lw 2 pt 7 lc 2 title \"nae\""),
            std::string::npos)
      << ranks_script;
}

// Without BSS Eval there is nothing to pair, and the sweep shows the SI-SDR improvement.
TEST(Plot, WithoutBssEvalTheRankCurvesShowTheSiSdrImprovement) {
  Json results = scored_results();
  for (auto& cell : results["cells"]) {
    cell["final"]["scored"] = {{"si_sdr_imp", cell["final"]["mean_si_sdr_imp"]}};
    cell["curve"] = {cell["final"]};
  }
  const auto dir = testing::scratch_dir();
  const auto figures = write_figures(results, {dir, "png", 640, 400});
  EXPECT_EQ(names(figures), (std::vector<std::string>{"curves", "distributions", "ranks"}));
  EXPECT_NE(read_text(dir / "ranks.dat").find("# si_sdr_imp, nmf\n20 11 10 12 5\n"),
            std::string::npos);
  EXPECT_FALSE(fs::exists(dir / "paired.dat"));
}

// Configurations that differ in two parameters, or in a non-numeric one, sweep nothing to
// draw against; one family has no other to face.
TEST(Plot, NoRankCurvesWithoutOneNumericSweepAndNoPairsWithinOneFamily) {
  Json results = scored_results();
  for (auto& cell : results["cells"]) {
    Json& parameters = cell["parameters"];
    const bool low = parameters["components"] == 20;
    if (parameters.contains("beta")) {  // NMF's configurations sweep a string
      parameters.erase("components");
      parameters["activation"] = low ? "relu" : "softplus";
    } else {  // the NAE's sweep two numbers
      parameters["layers"] = low ? 1 : 2;
    }
  }
  EXPECT_EQ(names(write_figures(results, {testing::scratch_dir(), "png", 640, 400})),
            (std::vector<std::string>{"curves", "distributions", "paired"}));
  Json one_family = scored_results();
  for (auto& cell : one_family["cells"]) {
    const std::string label = cell["method"];
    cell["method"] = "nmf " + label;
  }
  EXPECT_EQ(names(write_figures(one_family, {testing::scratch_dir(), "png", 640, 400})),
            (std::vector<std::string>{"curves", "distributions"}));
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
  const auto [exit_code, output] =
      testing::run_command("PATH=/nonexistent " + std::string(NMFBENCH_BINARY) + " plot " +
                           (dir / "results.json").string() + " --example none");
  EXPECT_EQ(exit_code, 0) << output;
  EXPECT_NE(output.find("gnuplot is not installed"), std::string::npos) << output;
  for (const char* file : {"curves.dat", "curves.gp", "pdfs.gp", "distributions.dat"})
    EXPECT_TRUE(fs::exists(dir / "figures" / file)) << file;
  EXPECT_FALSE(fs::exists(dir / "figures" / "curves.png"));
}

}  // namespace
}  // namespace nmfbench::plot
