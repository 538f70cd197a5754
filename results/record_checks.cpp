#include "results/record_checks.hpp"

#include <cmath>
#include <optional>

#include "core/json_field.hpp"
#include "results/results.hpp"

namespace nmfbench::results {
namespace {

// The first metric of a curve point or final value that is not a finite number, as
// "si_sdr_imp[1] is inf" or "scored.sdr is NaN", or nothing.
std::optional<std::string> non_finite_metric(const Json& point, const std::string& prefix = "") {
  auto bad = [](const Json& v) { return !v.is_number() || !std::isfinite(v.get<Real>()); };
  auto shown = [](const Json& v) -> std::string {
    if (!v.is_number() || std::isfinite(v.get<Real>())) return v.dump();
    return std::isnan(v.get<Real>()) ? "NaN" : v.get<Real>() > 0 ? "inf" : "-inf";
  };
  for (const auto& [name, value] : point.items()) {
    if (name == "iteration") continue;
    if (value.is_object()) {
      if (const auto inner = non_finite_metric(value, prefix + name + ".")) return inner;
      continue;
    }
    if (!value.is_array()) {
      if (bad(value)) return prefix + name + " is " + shown(value);
      continue;
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (bad(value[i])) return prefix + name + "[" + std::to_string(i) + "] is " + shown(value[i]);
    }
  }
  return std::nullopt;
}

void check_identity(const JsonObject& record) {
  for (const char* field : {"key", "method", "split", "status"}) record.string(field);
  if (record.has("final")) record.object("final");
  if (record.has("curve")) record.array("curve", "an array of checkpoints");
}

}  // namespace

Json with_finite_metrics(Json record) {
  if (!record.is_object() || record.value("status", Json()) != "ok") return record;
  std::string problem;
  const Json& curve = record.value("curve", Json());
  if (!curve.is_array() || curve.empty() || !record.contains("final")) {
    problem = "the record holds no curve of scores";
  } else {
    for (const Json& point : curve) {
      if (!point.is_object() || !point.value("iteration", Json()).is_number_integer() ||
          !point.contains("mean_si_sdr_imp")) {
        problem = "a checkpoint of its curve is malformed: " + point.dump().substr(0, 80);
      } else if (const auto metric = non_finite_metric(point)) {
        problem = "the metric " + *metric + " at iteration " + point["iteration"].dump();
      }
      if (!problem.empty()) break;
    }
    if (problem.empty() && !record["final"].is_object()) problem = "its final value is malformed";
  }
  if (problem.empty()) return record;
  record["status"] = "failed";
  record["error"] = "no finite score: " + problem +
                    " (SI-SDR is infinite or undefined for a silent or repeated source, or for a "
                    "source far below another)";
  record.erase("curve");
  record.erase("final");
  return record;
}

Json read_record(const std::filesystem::path& path) {
  Json record = read_json_file(path, "cell");
  try {
    check_identity(JsonObject(record, "cell"));
  } catch (const Error& e) {
    throw Error("cell '" + path.string() + "': " + e.what());
  }
  return record;
}

void check_results(const Json& results, const std::string& source) {
  try {
    const JsonObject root(results, "results");
    if (root.string("schema", "") != "nmfbench-results")
      throw Error("not an nmfbench results file (expected \"schema\": \"nmfbench-results\")");
    if (root.integer("schema_version", 0, 1 << 30, 0) != kSchemaVersion) {
      throw Error("schema version " + root.get("schema_version").dump() + ", expected " +
                  std::to_string(kSchemaVersion));
    }
    const JsonObject manifest = root.object("manifest");
    for (const char* field : {"data", "commit"}) manifest.string(field, "");
    const JsonObject spec = manifest.object("spec");
    spec.string("name", "");
    if (spec.has("tables")) {
      const Json& tables = spec.array("tables", "an array of tables");
      for (std::size_t i = 0; i < tables.size(); ++i) {
        const JsonObject table(tables[i], spec.at("tables") + "[" + std::to_string(i) + "]");
        table.string("name", "");
        table.string("title", "");
        table_model_fields(table);
        const std::string statistic = table.string("statistic", "mean");
        if (!is_table_statistic(statistic))
          json_fail(table.at("statistic"), statistic, kTableStatistics);
        // Without iterations a table shows each cell's final point.
        const Json iterations = table.has("iterations")
                                    ? table.array("iterations", "an array of checkpoints")
                                    : Json::array();
        for (std::size_t t = 0; t < iterations.size(); ++t)
          json_integer(iterations[t], table.at("iterations") + "[" + std::to_string(t) + "]", 0,
                       1 << 30);
      }
    }
    const Json& cells = root.array("cells", "an array of cell records");
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const std::string path = "results.cells[" + std::to_string(i) + "]";
      check_identity(JsonObject(cells[i], path));
      if (cells[i]["status"] != "ok") continue;
      const Json checked = with_finite_metrics(cells[i]);
      if (checked["status"] != "ok") throw Error(path + ": " + checked["error"].get<std::string>());
    }
    const Json& aggregates = root.array("aggregates", "an array of aggregates");
    for (std::size_t i = 0; i < aggregates.size(); ++i) {
      const JsonObject a(aggregates[i], "results.aggregates[" + std::to_string(i) + "]");
      a.string("method");
      a.string("split");
      a.integer("iteration", 0, 1 << 30);
      for (const char* statistic : {"mean", "median", "std"})
        a.number(statistic, -HUGE_VAL, HUGE_VAL);
    }
    if (root.has("models")) {
      for (const auto& [label, model] : root.object("models").json().items()) {
        const JsonObject m(model, "results.models." + label);
        if (m.has("trained") && !m.get("trained").is_boolean())
          json_fail(m.at("trained"), m.get("trained"), "true or false");
        if (!m.has("learned_pdf")) continue;
        const JsonObject pdf = m.object("learned_pdf");
        const std::size_t n = pdf.array("magnitude", "an array of numbers").size();
        for (const char* column : {"log_pdf", "gaussian_log_pdf"}) {
          if (pdf.array(column, "an array of numbers").size() != n)
            json_fail(pdf.at(column), pdf.get(column), "as many values as magnitude");
        }
      }
    }
  } catch (const Error& e) {
    throw Error(source + ": " + e.what());
  }
}

}  // namespace nmfbench::results
