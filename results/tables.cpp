#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "core/label_order.hpp"
#include "results/results.hpp"

namespace nmfbench::results {
namespace {

std::string format_number(Real v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", v);
  return buffer;
}

// The point a column shows of a cell: the one at `iteration`, a feed-forward cell's only
// estimate, or with no iteration the final one.
const Json* point_at(const Json& cell, std::optional<int> iteration) {
  const Json& curve = cell["curve"];
  if (!iteration || curve.size() == 1) return &curve.back();
  for (const auto& point : curve) {
    if (point["iteration"] == *iteration) return &point;
  }
  return nullptr;
}

// One table cell: the mean, the median, or "q1 - q3", the interquartile range.
std::string statistic_of(std::vector<Real> values, const std::string& which) {
  if (which == "mean") {
    Real mean = 0;
    for (Real x : values) mean += x / static_cast<Real>(values.size());
    return format_number(mean);
  }
  std::sort(values.begin(), values.end());
  if (which == "iqr")
    return format_number(quantile(values, 0.25)) + " - " + format_number(quantile(values, 0.75));
  const std::size_t n = values.size();
  return format_number(n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]));
}

struct Column {
  std::string header, split;
  std::optional<int> iteration;
  std::optional<std::string> label;  // nullopt: every label value (the average)
};

// Method labels and model fields ("dr_nmf", "validation_loss") hold LaTeX's special
// characters.
std::string latex_text(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '_' || c == '%' || c == '&' || c == '#' || c == '$') out += '\\';
    out += c;
  }
  return out;
}

void write_table(std::ostringstream& out, const std::string& format, const std::string& name,
                 const std::string& title, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows) {
  if (format == "csv") {
    for (std::size_t i = 0; i < header.size(); ++i) out << (i ? "," : "") << header[i];
    out << "\n";
    for (const auto& r : rows) {
      for (std::size_t i = 0; i < r.size(); ++i)
        out << (i ? "," : "") << (i == 0 ? "\"" + r[i] + "\"" : r[i]);
      out << "\n";
    }
  } else if (format == "md") {
    out << "**" << name << "**: " << title << "\n\n|";
    for (const auto& h : header) out << " " << h << " |";
    out << "\n|";
    for (std::size_t i = 0; i < header.size(); ++i) out << (i ? "---:|" : "---|");
    out << "\n";
    for (const auto& r : rows) {
      out << "|";
      for (const auto& c : r) out << " " << c << " |";
      out << "\n";
    }
    out << "\n";
  } else {
    out << "% " << title << "\n\\begin{tabular}{l" << std::string(header.size() - 1, 'r')
        << "}\n\\hline\n";
    for (std::size_t i = 0; i < header.size(); ++i)
      out << (i ? " & " : "") << latex_text(header[i]);
    out << " \\\\\n\\hline\n";
    for (const auto& r : rows) {
      for (std::size_t i = 0; i < r.size(); ++i) out << (i ? " & " : "") << latex_text(r[i]);
      out << " \\\\\n";
    }
    out << "\\hline\n\\end{tabular}\n\n";
  }
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

// A model summary's field at a dotted path, or nullptr.
const Json* model_field(const Json& summary, const std::string& path) {
  const Json* at = &summary;
  std::size_t from = 0;
  while (true) {
    const std::size_t dot = path.find('.', from);
    const std::string key = path.substr(from, dot == std::string::npos ? dot : dot - from);
    if (!at->is_object() || !at->contains(key)) return nullptr;
    at = &(*at)[key];
    if (dot == std::string::npos) return at;
    from = dot + 1;
  }
}

// Counts as integers, other numbers to four significant digits (losses span decades).
std::string format_field(const Json* value) {
  if (!value || !value->is_number()) return "-";
  if (value->is_number_integer()) return value->dump();
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", value->get<Real>());
  return buffer;
}

}  // namespace

std::vector<std::string> table_model_fields(const JsonObject& table) {
  std::vector<std::string> fields;
  if (!table.has("models")) return fields;
  const Json& models = table.array("models", "an array of model summary fields");
  for (std::size_t i = 0; i < models.size(); ++i) {
    const Json& v = models[i];
    const std::string path = table.at("models") + "[" + std::to_string(i) + "]";
    const std::string text = v.is_string() ? v.get<std::string>() : "";
    if (text.empty() || text.front() == '.' || text.back() == '.' ||
        text.find("..") != std::string::npos)
      json_fail(path, v,
                "a field of the models' summaries, a dotted path such as \"validation_loss\" or "
                "\"parameters.P\"");
    fields.push_back(text);
  }
  return fields;
}

std::optional<Real> metric_of(const Json& point, const std::string& metric) {
  if (point.contains("scored") && point["scored"].contains(metric))
    return point["scored"][metric].get<Real>();
  if (metric == "si_sdr_imp" && point.contains("mean_si_sdr_imp"))
    return point["mean_si_sdr_imp"].get<Real>();
  return std::nullopt;
}

Real quantile(const std::vector<Real>& sorted, Real q) {
  const Real at = q * static_cast<Real>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(at));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (at - static_cast<Real>(below)) * (sorted[above] - sorted[below]);
}

std::string metric_title(const std::string& metric) {
  static const std::map<std::string, std::string> titles = {
      {"si_sdr_imp", "SI-SDR improvement [dB]"},
      {"si_sdr", "SI-SDR [dB]"},
      {"sdr", "SDR [dB]"},
      {"sdr_imp", "SDR improvement [dB]"},
      {"sir", "SIR [dB]"},
      {"sar", "SAR [dB]"},
      {"stoi", "STOI"},
      {"estoi", "ESTOI"}};
  return titles.at(metric);
}

std::string render_tables(const Json& results, const std::string& format) {
  if (format != "md" && format != "latex" && format != "csv") {
    throw Error("table format '" + format + "': expected md, latex or csv");
  }
  const Json& spec = results["manifest"]["spec"];
  std::vector<std::string> methods, splits;
  for (const auto& cell : results["cells"]) {
    const std::string m = cell["method"], s = cell["split"];
    if (std::find(methods.begin(), methods.end(), m) == methods.end()) methods.push_back(m);
    if (std::find(splits.begin(), splits.end(), s) == splits.end()) splits.push_back(s);
  }
  Json tables = spec.value("tables", Json::array());
  if (tables.empty()) tables.push_back({{"name", "si_sdr_imp"}});
  std::ostringstream out;
  for (const auto& table : tables) {
    const std::string statistic = table.value("statistic", "mean");
    const std::string metric = table.value("metric", "si_sdr_imp");
    const std::string by = table.value("by", "");
    std::vector<std::optional<int>> iterations;
    for (const auto& t : table.value("iterations", Json::array()))
      iterations.push_back(t.get<int>());
    if (iterations.empty()) iterations.push_back(std::nullopt);
    std::set<std::string, decltype(&label_less)> label_values(&label_less);
    for (const auto& cell : results["cells"]) {
      if (!by.empty() && cell.contains("labels") && cell["labels"].contains(by))
        label_values.insert(cell["labels"][by].get<std::string>());
    }
    std::vector<Column> columns;
    for (const auto& s : splits) {
      for (const auto& t : iterations) {
        const std::string at = s + (t ? " T=" + std::to_string(*t) : "");
        for (const auto& v : label_values) columns.push_back({at + " " + v, s, t, v});
        columns.push_back({by.empty() ? at : at + " avg", s, t, std::nullopt});
      }
    }
    const std::vector<std::string> fields = table_model_fields(JsonObject(table, "table"));
    std::vector<std::string> header = {"method"};
    for (const auto& c : columns) header.push_back(c.header);
    for (const auto& f : fields) header.push_back(f);
    std::vector<std::vector<std::string>> rows;
    for (const auto& m : methods) {
      std::vector<std::string> row = {m};
      for (const auto& c : columns) {
        std::vector<Real> values;
        for (const auto& cell : results["cells"]) {
          if (cell["method"] != m || cell["split"] != c.split || cell["status"] != "ok") continue;
          if (c.label && cell["labels"].value(by, "") != *c.label) continue;
          const Json* point = point_at(cell, c.iteration);
          if (!point) continue;
          if (const auto v = metric_of(*point, metric)) values.push_back(*v);
        }
        row.push_back(values.empty() ? "-" : statistic_of(values, statistic));
      }
      const Json* model = results.contains("models") && results["models"].contains(m)
                              ? &results["models"][m]
                              : nullptr;
      for (const auto& f : fields)
        row.push_back(format_field(model ? model_field(*model, f) : nullptr));
      rows.push_back(row);
    }
    const std::string title = table.value("title", "") +
                              (table.value("title", "").empty() ? "" : " - ") + statistic + " " +
                              metric_title(metric) + " (" + spec.value("name", "") + ", " +
                              results["manifest"].value("data", "") + ")";
    write_table(out, format, table.value("name", ""), title, header, rows);
  }
  return out.str();
}

std::string render_cells_csv(const Json& results) {
  std::set<std::string> label_names;
  for (const auto& cell : results["cells"]) {
    const Json labels = cell.value("labels", Json::object());
    for (const auto& [name, value] : labels.items()) label_names.insert(name);
  }
  static const std::vector<std::string> metrics = {"si_sdr", "si_sdr_imp", "sdr",  "sdr_imp",
                                                   "sir",    "sar",        "stoi", "estoi"};
  std::ostringstream out;
  out << "key,method,split,example,draw,init,status";
  for (const auto& name : label_names) out << "," << csv_field(name);
  out << ",iteration";
  for (const auto& m : metrics) out << "," << m;
  out << ",error\n";
  for (const auto& cell : results["cells"]) {
    out << csv_field(cell["key"]) << "," << csv_field(cell["method"]) << ","
        << csv_field(cell["split"]) << "," << csv_field(cell["example"]) << "," << cell["draw"]
        << "," << cell["init"] << "," << cell["status"].get<std::string>();
    const Json labels = cell.value("labels", Json::object());
    for (const auto& name : label_names) out << "," << csv_field(labels.value(name, ""));
    const bool ok = cell["status"] == "ok";
    out << "," << (ok ? cell["final"]["iteration"].dump() : "");
    for (const auto& m : metrics) {
      const auto v = ok ? metric_of(cell["final"], m) : std::nullopt;
      out << ",";
      if (v) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.6f", *v);
        out << buffer;
      }
    }
    out << "," << csv_field(cell.value("error", "")) << "\n";
  }
  return out.str();
}

bool is_table_statistic(const std::string& statistic) {
  return statistic == "mean" || statistic == "median" || statistic == "iqr";
}

}  // namespace nmfbench::results
