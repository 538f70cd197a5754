// Speech-enhancement scoring: sources scored by role, BSS Eval where the spec asks, the same
// numbers as `nmfbench metrics` on the same files, and tables and per-cell CSV built from them.
#include "experiments/scoring.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>

#include "core/bss_eval.hpp"
#include "core/metrics.hpp"
#include "core/stoi.hpp"
#include "experiments/runner.hpp"
#include "results/results.hpp"
#include "test_support.hpp"

namespace nmfbench::exp {
namespace {

namespace fs = std::filesystem;

// Speech and noise as a corpus gives them (the mixture their sum), and an estimate of each.
struct Enhancement {
  data::Mixture mix;
  std::vector<Signal> estimates;
};

Enhancement enhancement() {
  const Signal speech = testing::test_signal(4000, "speech");
  const Signal noise = 0.5 * testing::test_signal(4000, "noise");
  return {{speech + noise, {speech, noise}},
          {0.9 * speech + 0.1 * noise, 0.8 * noise + 0.2 * speech}};
}

TEST(Scoring, OnlyTheRolesTheSpecNamesAreAveraged) {
  const Enhancement e = enhancement();
  const std::vector<data::Role> roles = {data::Role::target, data::Role::interference};
  ScoringSpec speech_only{{data::Role::target}, {5}};
  const Json point = CellScorer(e.mix, roles, speech_only).score(5, e.estimates, true);
  EXPECT_EQ(point["scored"]["si_sdr"], point["si_sdr"][0]);
  EXPECT_EQ(point["scored"]["sdr"], point["sdr"][0]);
  EXPECT_EQ(point["mean_si_sdr_imp"], point["si_sdr_imp"][0]);
  EXPECT_NEAR(point["si_sdr"][0].get<Real>(), si_sdr(e.mix.sources[0], e.estimates[0]), 1e-12);
  const Json both = CellScorer(e.mix, roles, {{}, {5}}).score(5, e.estimates, true);
  EXPECT_NEAR(both["scored"]["sdr"].get<Real>(),
              (both["sdr"][0].get<Real>() + both["sdr"][1].get<Real>()) / 2, 1e-12);
  // The SDR improvement is over the mixture taken as the estimate of each source.
  const BssEvalResult input =
      bss_eval_sources(e.mix.sources, {e.mix.mixture, e.mix.mixture}, false);
  EXPECT_NEAR(point["sdr_imp"][0].get<Real>(), point["sdr"][0].get<Real>() - input.sdr[0], 1e-9);
  // Without BSS Eval at a checkpoint, only SI-SDR is there.
  EXPECT_FALSE(CellScorer(e.mix, roles, speech_only).score(3, e.estimates, false).contains("sdr"));
  EXPECT_THROW(
      CellScorer(e.mix, roles, {{data::Role::interference}, {}}).score(0, {e.estimates[0]}, false),
      Error);
}

TEST(Scoring, StoiIsScoredWhereTheSpecAsksForIt) {
  const Enhancement e = enhancement();
  const std::vector<data::Role> roles = {data::Role::target, data::Role::interference};
  const ScoringSpec with_stoi{{data::Role::target}, {5}, true, 8000};
  const Json point = CellScorer(e.mix, roles, with_stoi).score(5, e.estimates, true);
  EXPECT_NEAR(point["stoi"][0].get<Real>(), stoi(e.mix.sources[0], e.estimates[0], 8000), 1e-15);
  EXPECT_NEAR(point["estoi"][1].get<Real>(), stoi(e.mix.sources[1], e.estimates[1], 8000, true),
              1e-15);
  EXPECT_EQ(point["scored"]["stoi"], point["stoi"][0]);
  // Only at BSS Eval's checkpoints, and only when asked.
  EXPECT_FALSE(CellScorer(e.mix, roles, with_stoi).score(3, e.estimates, false).contains("stoi"));
  EXPECT_FALSE(CellScorer(e.mix, roles, {{}, {5}}).score(5, e.estimates, true).contains("stoi"));
}

TEST(Scoring, UnestimatedSourcesAreTheRestOfTheMixture) {
  // Denoising estimates the clean signal only; BSS Eval sees the noise as the other source.
  const Enhancement e = enhancement();
  const Json point =
      CellScorer(e.mix, {data::Role::target}, {{}, {0}}).score(0, {e.estimates[0]}, true);
  const BssEvalResult r =
      bss_eval_sources(e.mix.sources, {e.estimates[0], e.mix.mixture - e.estimates[0]}, false);
  EXPECT_NEAR(point["sdr"][0].get<Real>(), r.sdr[0], 1e-12);
  EXPECT_NEAR(point["sir"][0].get<Real>(), r.sir[0], 1e-12);
  EXPECT_EQ(point["sdr"].size(), 1u);
}

void write_double_wav(const fs::path& path, const Signal& s, int rate) {
  testing::write_audio_file(path, SF_FORMAT_WAV | SF_FORMAT_DOUBLE, s, rate);
}

// The BSS Eval columns of a separation cell are what `nmfbench metrics` says of the same
// references and estimates written to files; the per-cell CSV carries them.
TEST(Scoring, BssEvalColumnsEqualTheMetricsVerbAndTheCsv) {
  const auto dir = testing::scratch_dir();
  const Json spec_json = Json::parse(R"({
    "name": "sep", "seed": 3, "task": "separate",
    "dataset": {"loader": "embedded-speakers", "splits": ["set1"], "max_examples": 1},
    "stft": {"window": "hann", "window_length": 256, "hop": 64},
    "methods": [{"label": "is", "method": "complex_nmf", "parameters": {"components": 4, "train_iterations": 10}}],
    "checkpoints": {"list": [5]},
    "scoring": {"bss_eval_at": [0, 5]},
    "tables": [{"name": "sdr", "iterations": [0, 5], "metric": "sdr"}]})");
  const ExperimentSpec spec = parse_spec(spec_json);
  RunOptions options;
  options.out = dir;
  options.threads = 1;
  const Json results = results::read_results(run_experiment(spec, options).results.string());
  const Json& cell = results["cells"][0];
  ASSERT_EQ(cell["status"], "ok") << cell.dump();
  EXPECT_TRUE(cell["curve"][0].contains("sdr"));

  const CellView view = replay_cell(spec, cell["key"], dir / "sep" / "trained", false);
  const Stft stft(spec.stft);
  std::string refs, ests;
  for (std::size_t l = 0; l < 2; ++l) {
    const Eigen::Index length = view.samples;
    const fs::path ref = dir / ("ref" + std::to_string(l) + ".wav");
    const fs::path est = dir / ("est" + std::to_string(l) + ".wav");
    write_double_wav(ref, stft.inverse(view.references[l], length), spec.sample_rate);
    write_double_wav(est, stft.inverse(view.estimates[l], length), spec.sample_rate);
    refs += " " + ref.string();
    ests += " " + est.string();
  }
  const auto metrics = testing::run_command(std::string(NMFBENCH_BINARY) + " metrics --ref" + refs +
                                            " --est" + ests + " --no-permutation");
  ASSERT_EQ(metrics.exit_code, 0) << metrics.output;
  const Json out = Json::parse(metrics.output);
  for (std::size_t l = 0; l < 2; ++l) {
    for (const char* m : {"sdr", "sir", "sar"}) {
      EXPECT_NEAR(out["sources"][l][m].get<Real>(), cell["final"][m][l].get<Real>(), 1e-6)
          << m << " of source " << l;
    }
  }

  const std::string csv = results::render_cells_csv(results);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "key,method,split,example,draw,init,status,iteration,si_sdr,si_sdr_imp,sdr,sdr_imp,"
            "sir,sar,stoi,estoi,error");
  EXPECT_NE(csv.find(cell["key"].get<std::string>() + ",is,set1,"), std::string::npos);
  EXPECT_NE(results::render_tables(results, "md").find("mean SDR [dB]"), std::string::npos);
}

// Tables break results down by an example label, in numeric order, with the average.
TEST(Scoring, TablesBreakDownByALabel) {
  Json results = {
      {"manifest",
       {{"spec",
         {{"name", "x"},
          {"tables",
           {{{"name", "t"}, {"by", "snr"}, {"metric", "sdr"}, {"statistic", "median"}}}}}},
        {"data", "d"}}},
      {"cells", Json::array()}};
  const std::vector<std::pair<std::string, Real>> rows = {
      {"3dB", 1}, {"-6dB", 2}, {"-6dB", 4}, {"0dB", 8}};
  for (const auto& [snr, sdr] : rows) {
    const Json point = {{"iteration", 0}, {"scored", {{"sdr", sdr}}}};
    results["cells"].push_back({{"method", "m"},
                                {"split", "dev"},
                                {"status", "ok"},
                                {"labels", {{"snr", snr}}},
                                {"curve", {point}},
                                {"final", point}});
  }
  const std::string md = results::render_tables(results, "md");
  EXPECT_NE(md.find("| method | dev -6dB | dev 0dB | dev 3dB | dev avg |"), std::string::npos)
      << md;
  EXPECT_NE(md.find("| m | 3.00 | 8.00 | 1.00 | 3.00 |"), std::string::npos) << md;
  // The interquartile range, as NumPy's percentile interpolates: of 2, 4, 2.5 - 3.5; of 1, 2, 4,
  // 8, 1.75 - 5.
  results["manifest"]["spec"]["tables"][0]["statistic"] = "iqr";
  const std::string iqr = results::render_tables(results, "md");
  EXPECT_NE(iqr.find("| m | 2.50 - 3.50 | 8.00 - 8.00 | 1.00 - 1.00 | 1.75 - 5.00 |"),
            std::string::npos)
      << iqr;
}

// A table's `models` add a column per field of each method's model summary: counts as
// integers, losses to four digits, "-" where a method has no such field.
TEST(Scoring, TablesShowFieldsOfTheModelSummaries) {
  const Json point = {{"iteration", 0}, {"scored", {{"sdr", 7.0}}}};
  Json results = {
      {"manifest",
       {{"spec",
         {{"name", "x"},
          {"tables",
           {{{"name", "t"}, {"metric", "sdr"}, {"models", {"validation_loss", "parameters.P"}}}}}}},
        {"data", "d"}}},
      {"cells", Json::array()},
      {"models",
       {{"net", {{"validation_loss", 0.031234567}, {"parameters", {{"P", 102800}}}}},
        {"snmf", {{"parameters", {{"P", 51400}}}}}}}};
  for (const char* method : {"net", "snmf", "untrained"})
    results["cells"].push_back({{"method", method},
                                {"split", "dev"},
                                {"status", "ok"},
                                {"curve", {point}},
                                {"final", point}});
  const std::string md = results::render_tables(results, "md");
  EXPECT_NE(md.find("| method | dev | validation_loss | parameters.P |"), std::string::npos) << md;
  EXPECT_NE(md.find("| net | 7.00 | 0.03123 | 102800 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| snmf | 7.00 | - | 51400 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| untrained | 7.00 | - | - |"), std::string::npos) << md;
  const std::string latex = results::render_tables(results, "latex");
  EXPECT_NE(latex.find("method & dev & validation\\_loss & parameters.P \\\\"), std::string::npos)
      << latex;
}

}  // namespace
}  // namespace nmfbench::exp
