#include "results/results.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include <oneapi/tbb/version.h>
#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include "nmfbench/build_info.hpp"
#include "results/record_checks.hpp"

namespace nmfbench::results {
namespace {

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown";
}

struct Statistics {
  Real mean = 0, median = 0, std = 0;
};

Statistics statistics(std::vector<Real> v) {
  Statistics s;
  if (v.empty()) return s;
  for (Real x : v) s.mean += x / static_cast<Real>(v.size());
  for (Real x : v) s.std += (x - s.mean) * (x - s.mean) / static_cast<Real>(v.size());
  s.std = std::sqrt(s.std);
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  s.median = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  return s;
}

// A record's field as text, whatever a stored record holds there.
std::string text_of(const Json& record, const char* field) {
  const Json& value = record.is_object() ? record.value(field, Json()) : Json();
  return value.is_string() ? value.get<std::string>() : value.dump();
}

}  // namespace

Json run_manifest(const Json& spec, const std::string& spec_hash, bool stand_in_data) {
  return {
      {"nmfbench", build_info::version},
      {"commit", build_info::git_commit},
      {"compiler", build_info::compiler},
      {"build_type", build_info::build_type},
      {"flags", build_info::cxx_flags},
      {"libraries",
       {{"eigen", std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) +
                      "." + std::to_string(EIGEN_MINOR_VERSION)},
        {"fftw", build_info::fftw_version},
        {"sndfile", build_info::sndfile_version},
        {"samplerate", build_info::samplerate_version},
        {"tbb", TBB_VERSION_STRING},
        {"nlohmann_json", std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." +
                              std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." +
                              std::to_string(NLOHMANN_JSON_VERSION_PATCH)}}},
      {"cpu", cpu_model()},
      {"data",
       stand_in_data ? "embedded stand-in (synthetic, not the real corpus)" : "real corpus"},
      {"spec_hash", spec_hash},
      {"spec", spec}};
}

Json make_results(const Json& manifest, const Json& stored_cells) {
  Json cells = Json::array();
  for (const auto& cell : stored_cells) cells.push_back(with_finite_metrics(cell));
  // (method, split, iteration) -> per-cell mean SI-SDRi, in first-seen order.
  std::vector<std::tuple<std::string, std::string, int>> order;
  std::map<std::tuple<std::string, std::string, int>, std::vector<Real>> values;
  std::map<std::pair<std::string, std::string>, int> failures;
  for (const auto& cell : cells) {
    if (cell.value("status", Json()) != "ok") {
      ++failures[{text_of(cell, "method"), text_of(cell, "split")}];
      continue;
    }
    for (const auto& point : cell["curve"]) {
      const auto key = std::make_tuple(text_of(cell, "method"), text_of(cell, "split"),
                                       point["iteration"].get<int>());
      if (!values.count(key)) order.push_back(key);
      values[key].push_back(point["mean_si_sdr_imp"].get<Real>());
    }
  }
  Json aggregates = Json::array();
  for (const auto& key : order) {
    const Statistics s = statistics(values[key]);
    aggregates.push_back({{"method", std::get<0>(key)},
                          {"split", std::get<1>(key)},
                          {"iteration", std::get<2>(key)},
                          {"count", values[key].size()},
                          {"mean", s.mean},
                          {"median", s.median},
                          {"std", s.std}});
  }
  Json failed = Json::array();
  for (const auto& [key, count] : failures) {
    failed.push_back({{"method", key.first}, {"split", key.second}, {"failed_cells", count}});
  }
  return {{"schema", "nmfbench-results"}, {"schema_version", kSchemaVersion},
          {"manifest", manifest},         {"cells", cells},
          {"aggregates", aggregates},     {"failures", failed}};
}

Json read_results(const std::string& path) {
  Json j = read_json_file(path, "results");
  check_results(j, "results '" + path + "'");
  return j;
}

}  // namespace nmfbench::results
