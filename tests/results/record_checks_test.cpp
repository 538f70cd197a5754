// A non-finite score never reaches a results file as "ok", and results build from any set of
// stored cells: failed ones, and ones with nulls written by older versions.
#include "results/record_checks.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <limits>

#include "results/results.hpp"
#include "test_support.hpp"

namespace nmfbench::results {
namespace {

Json record(const std::string& split, Real final_si_sdr) {
  Json point_0 = {
      {"iteration", 0}, {"si_sdr", {1.0}}, {"si_sdr_imp", {0.0}}, {"mean_si_sdr_imp", 0.0}};
  Json point_1 = {{"iteration", 25},
                  {"si_sdr", {final_si_sdr}},
                  {"si_sdr_imp", {final_si_sdr - 1}},
                  {"mean_si_sdr_imp", final_si_sdr - 1}};
  return {
      {"key", "m|" + split + "|ex|d0|i0"}, {"method", "m"},   {"split", split}, {"status", "ok"},
      {"curve", {point_0, point_1}},       {"final", point_1}};
}

TEST(RecordChecks, ANonFiniteScoreMakesAFailedRecordNamingMetricAndIteration) {
  const Real inf = std::numeric_limits<Real>::infinity();
  const Json failed = with_finite_metrics(record("A", inf));
  EXPECT_EQ(failed["status"], "failed");
  const std::string error = failed["error"];
  EXPECT_NE(error.find("si_sdr[0] is inf at iteration 25"), std::string::npos) << error;
  EXPECT_FALSE(failed.contains("curve"));
  const Json nan = with_finite_metrics(record("A", std::numeric_limits<Real>::quiet_NaN()));
  EXPECT_EQ(nan["status"], "failed");
  EXPECT_NE(nan["error"].get<std::string>().find("si_sdr[0] is NaN at iteration 25"),
            std::string::npos);
  // Finite records and failed ones pass as they are.
  EXPECT_EQ(with_finite_metrics(record("A", 3)), record("A", 3));
  const Json other = {{"key", "k"}, {"status", "failed"}, {"error", "x"}};
  EXPECT_EQ(with_finite_metrics(other), other);
}

// Cells stored by older versions as "ok" with null scores (JSON's NaN and infinity) used to
// stop results from being built, every time, since the cells were cached.
TEST(RecordChecks, ResultsBuildFromAnyStoredCells) {
  const Json stored = Json::parse(record("A", 5).dump());
  Json with_null = Json::parse(record("A", std::numeric_limits<Real>::infinity()).dump());
  ASSERT_TRUE(with_null["final"]["si_sdr"][0].is_null());
  const Json failed = {{"key", "m|B|ex|d0|i0"},
                       {"method", "m"},
                       {"split", "B"},
                       {"status", "failed"},
                       {"error", "file missing"}};
  const Json no_curve = {
      {"key", "m|B|ex2|d0|i0"}, {"method", "m"}, {"split", "B"}, {"status", "ok"}};
  const Json results =
      make_results({{"spec", Json::object()}}, Json::array({stored, with_null, failed, no_curve}));
  ASSERT_EQ(results["aggregates"].size(), 2u);  // iterations 0 and 25 of split A
  EXPECT_EQ(results["aggregates"][1]["count"], 1);
  EXPECT_EQ(results["aggregates"][1]["mean"], 4.0);
  EXPECT_EQ(results["cells"][1]["status"], "failed");
  EXPECT_EQ(results["cells"][3]["status"], "failed");
  ASSERT_EQ(results["failures"].size(), 2u);
  EXPECT_EQ(results["failures"][1]["failed_cells"], 2);
  EXPECT_NO_THROW(check_results(results, "r"));
  EXPECT_NO_THROW(render_tables(results, "md"));
  // Every statistic a spec may ask for is one the results may hold (iqr was refused here).
  Json iqr = results;
  iqr["manifest"]["spec"]["tables"] = {{{"name", "t"}, {"statistic", "iqr"}}};
  EXPECT_NO_THROW(check_results(iqr, "r"));
  iqr["manifest"]["spec"]["tables"][0]["statistic"] = "max";
  EXPECT_NE(testing::error_message([&] {
              check_results(iqr, "r");
            }).find("got \"max\", expected \"mean\", \"median\" or \"iqr\""),
            std::string::npos);
}

TEST(RecordChecks, ResultsThatTableOrPlotCannotReadNameTheFileAndField) {
  const auto dir = testing::scratch_dir();
  const Json good = make_results({{"spec", {{"name", "s"}}}}, Json::array({record("A", 5)}));
  const std::vector<std::pair<std::function<void(Json&)>, std::string>> cases = {
      {[](Json& r) { r.erase("manifest"); }, "results.manifest: missing"},
      {[](Json& r) { r.erase("cells"); }, "results.cells: missing"},
      {[](Json& r) { r["cells"][0]["split"] = 3; }, "results.cells[0].split: got 3"},
      {[](Json& r) { r["cells"][0]["curve"][1]["si_sdr"][0] = nullptr; },
       "results.cells[0]: no finite score: the metric si_sdr[0] is null at iteration 25"},
      {[](Json& r) { r["aggregates"][0]["mean"] = "x"; }, "results.aggregates[0].mean: got \"x\""},
      {[](Json& r) {
         r["manifest"]["spec"]["tables"] = {{{"iterations", 20}}};
       },
       "results.manifest.spec.tables[0].iterations: got 20"},
      {[](Json& r) {
         r["manifest"]["spec"]["tables"] = {{{"models", {3}}}};
       },
       "results.manifest.spec.tables[0].models[0]: got 3, expected a field"},
      {[](Json& r) { r["schema_version"] = 7; }, "schema version 7, expected 1"},
  };
  for (const auto& [edit, expected] : cases) {
    Json results = good;
    edit(results);
    std::ofstream(dir / "results.json") << results.dump();
    const std::string msg =
        testing::error_message([&] { read_results((dir / "results.json").string()); });
    EXPECT_NE(msg.find("results '" + (dir / "results.json").string() + "': "), std::string::npos)
        << msg;
    EXPECT_NE(msg.find(expected), std::string::npos)
        << "expected \"" << expected << "\" in " << msg;
  }
}

}  // namespace
}  // namespace nmfbench::results
