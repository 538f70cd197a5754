// Paper 002's figures: Fig. 2's paired distributions of the final metrics and Fig. 3's metric
// against the number of components (any numeric parameter a method's configurations sweep).
#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <map>
#include <numbers>
#include <set>
#include <sstream>

#include "plotting/figure_parts.hpp"
#include "results/results.hpp"

namespace nmfbench::plot::detail {
namespace {

// The metrics paper 002 reports, in its order.
const std::vector<std::string> kPaperMetrics = {"sdr", "sir", "sar", "stoi"};

// Per method label and metric: the final values of its finished cells (each the mean over the
// scored sources, as the tables take them), sorted.
using Samples = std::map<std::string, std::map<std::string, std::vector<Real>>>;

Samples final_samples(const Json& results, const std::vector<std::string>& metrics) {
  Samples samples;
  for (const auto& cell : results.at("cells")) {
    if (cell.value("status", "") != "ok" || !cell.contains("final")) continue;
    for (const auto& metric : metrics)
      if (const auto v = results::metric_of(cell["final"], metric))
        samples[cell.at("method")][metric].push_back(*v);
  }
  for (auto& [label, by_metric] : samples)
    for (auto& [metric, values] : by_metric) std::sort(values.begin(), values.end());
  return samples;
}

// Those of `metrics` that some method holds.
std::vector<std::string> held(const Samples& samples, const std::vector<std::string>& metrics) {
  std::vector<std::string> out;
  for (const auto& metric : metrics) {
    if (std::any_of(samples.begin(), samples.end(),
                    [&](const auto& s) { return s.second.contains(metric); }))
      out.push_back(metric);
  }
  return out;
}

// A panel per metric, two to a row.
std::string layout(const std::vector<std::string>& metrics) {
  const std::size_t columns = metrics.size() > 1 ? 2 : 1;
  return "set multiplot layout " + std::to_string((metrics.size() + columns - 1) / columns) + "," +
         std::to_string(columns);
}

// A Gaussian kernel density of sorted values with Silverman's bandwidth; values without
// spread get a narrow kernel, so that they still show.
struct Density {
  const std::vector<Real>& values;
  Real bandwidth;

  explicit Density(const std::vector<Real>& sorted) : values(sorted), bandwidth(0) {
    const auto n = static_cast<Real>(sorted.size());
    Real mean = 0, variance = 0;
    for (Real x : sorted) mean += x / n;
    for (Real x : sorted) variance += (x - mean) * (x - mean) / std::max<Real>(n - 1, 1);
    const Real iqr = results::quantile(sorted, 0.75) - results::quantile(sorted, 0.25);
    const Real spread = iqr > 0 ? std::min(std::sqrt(variance), iqr / 1.34) : std::sqrt(variance);
    bandwidth = 0.9 * spread * std::pow(n, -0.2);
    if (bandwidth <= 0) bandwidth = std::max<Real>(1e-3, 1e-2 * std::abs(mean));
  }

  Real operator()(Real y) const {
    Real sum = 0;
    for (Real x : values) sum += std::exp(-0.5 * std::pow((y - x) / bandwidth, 2));
    return sum / (static_cast<Real>(values.size()) * bandwidth * std::sqrt(2 * std::numbers::pi));
  }
};

struct Pair {
  std::string left, right;
};

// The values a configuration sweeps: its label after the family (" components=20").
std::string swept(const std::string& label) {
  return label.substr(family(label).size());
}

// A pair's tick label: the families, and the values they share below them.
std::string tick(const Pair& p) {
  const std::string shared = swept(p.left) == swept(p.right) ? swept(p.left) : "";
  if (shared.empty()) return p.left + "\n| " + p.right;
  return family(p.left) + " | " + family(p.right) + "\n" + shared.substr(1);
}

// Every method of the other families faces the first family's configuration that sweeps the
// same values ("nmf components=20" faces "nae components=20"), or, where the first family has
// one configuration, that one.
std::vector<Pair> pairs_of(const std::vector<std::string>& labels) {
  const std::string first = family(labels.front());
  std::vector<std::string> reference;
  for (const auto& l : labels)
    if (family(l) == first) reference.push_back(l);
  std::vector<Pair> pairs;
  for (const auto& l : labels) {
    if (family(l) == first) continue;
    const auto it = std::find_if(reference.begin(), reference.end(),
                                 [&](const std::string& r) { return swept(r) == swept(l); });
    if (it != reference.end())
      pairs.push_back({*it, l});
    else if (reference.size() == 1)
      pairs.push_back({reference.front(), l});
  }
  return pairs;
}

// One half of a split violin: the density of a method's values on one side of the pair's
// position (side -1 left, 1 right).
struct Half {
  std::size_t position;
  int side;
  std::string label;
  const std::vector<Real>& values;
  Density density;
};

}  // namespace

std::optional<Figure> paired(const Json& results, const FigureOptions& o) {
  const Samples samples = final_samples(results, kPaperMetrics);
  std::vector<std::string> labels;
  for (const auto& l : method_labels(results))
    if (samples.contains(l)) labels.push_back(l);
  const auto metrics = held(samples, kPaperMetrics);
  if (labels.empty() || metrics.empty()) return std::nullopt;
  const auto pairs = pairs_of(labels);
  if (pairs.empty()) return std::nullopt;

  Figure f = figure(o, "paired");
  const std::string file = quoted(f.data.filename().string());
  std::ofstream data(f.data);
  data << "# final metric per example (the mean over the scored sources) of paired methods. Per "
          "metric: each pair's left and right densities (value, half-width), then one block of "
          "position, side (-1 left, 1 right), q1, median, q3 and the half-widths at those three\n";
  std::ofstream gp(f.script);
  gp << preamble(results, o, f, "") << "unset key\nset bmargin 4\n"
     << "set style fill solid 0.7 border lc rgb 'gray30'\nset xtics nomirror font ',7' (";
  for (std::size_t p = 0; p < pairs.size(); ++p)
    gp << (p ? ", " : "") << quoted(tick(pairs[p])) << " " << p + 1;
  gp << ")\nset xrange [0.4:" << pairs.size() << ".6]\n"
     << layout(metrics) << " title "
     << quoted(
            "Final metrics per example: each pair's first method left (pink), second right "
            "(blue); medians solid, quartiles dashed")
     << "\n";
  int block = 0;
  for (const auto& metric : metrics) {
    std::vector<Half> halves;
    for (std::size_t p = 0; p < pairs.size(); ++p) {
      for (const int side : {-1, 1}) {
        const std::string& label = side < 0 ? pairs[p].left : pairs[p].right;
        const auto it = samples.at(label).find(metric);
        if (it != samples.at(label).end())
          halves.push_back({p + 1, side, label, it->second, Density(it->second)});
      }
    }
    // One scale per panel, so that equal areas hold equal shares of the examples; the widest
    // half spans 0.45 of the pairs' spacing.
    const int steps = 64;
    std::vector<std::vector<std::pair<Real, Real>>> curves;
    Real peak = 0;
    for (const auto& h : halves) {
      const Real low = h.values.front() - 2 * h.density.bandwidth;
      const Real high = h.values.back() + 2 * h.density.bandwidth;
      auto& curve = curves.emplace_back();
      for (int i = 0; i <= steps; ++i) {
        const Real y = low + (high - low) * i / steps;
        curve.emplace_back(y, h.density(y));
        peak = std::max(peak, curve.back().second);
      }
    }
    const Real scale = 0.45 / peak;
    gp << "set title " << quoted(results::metric_title(metric)) << "\nplot ";
    for (std::size_t i = 0; i < halves.size(); ++i) {
      const Half& h = halves[i];
      data << "# " << metric << ", pair " << h.position << ", " << (h.side < 0 ? "left" : "right")
           << ": " << h.label << "\n"
           << number(curves[i].front().first) << " 0\n";
      for (const auto& [y, d] : curves[i]) data << number(y) << " " << number(scale * d) << "\n";
      data << number(curves[i].back().first) << " 0\n\n\n";
      gp << file << " index " << block++ << " using (" << h.position << (h.side < 0 ? " - " : " + ")
         << "$2):1 with filledcurves closed fc rgb " << (h.side < 0 ? "'#e8a0bf'" : "'#8fb8e0'")
         << ", \\\n     ";
    }
    data << "# " << metric << " quartiles: position, side, q1, median, q3, their half-widths\n";
    for (const auto& h : halves) {
      const std::array<Real, 3> q = {results::quantile(h.values, 0.25),
                                     results::quantile(h.values, 0.5),
                                     results::quantile(h.values, 0.75)};
      data << h.position << " " << h.side;
      for (Real v : q) data << " " << number(v);
      for (Real v : q) data << " " << number(scale * h.density(v));
      data << "\n";
    }
    data << "\n\n";
    const int quartiles = block++;
    gp << file << " index " << quartiles
       << " using 1:4:($2 * $7):(0) with vectors nohead lw 3 lc rgb 'black', \\\n     " << file
       << " index " << quartiles
       << " using 1:3:($2 * $6):(0) with vectors nohead lw 1 dt 2 lc rgb 'black', \\\n     " << file
       << " index " << quartiles
       << " using 1:5:($2 * $8):(0) with vectors nohead lw 1 dt 2 lc rgb 'black'\n";
  }
  gp << "unset multiplot\n";
  return f;
}

namespace {

// The parameter a family's configurations sweep: the one parameter whose value differs
// between them, every value a number; with each configuration's value of it.
struct Sweep {
  std::string parameter;
  std::vector<std::pair<std::string, Real>> points;  // label, value
};

std::optional<Sweep> sweep_of(const std::vector<std::pair<std::string, Json>>& configurations) {
  if (configurations.size() < 2) return std::nullopt;
  std::set<std::string> keys;
  for (const auto& [label, parameters] : configurations)
    for (const auto& [key, value] : parameters.items()) keys.insert(key);
  auto value_of = [](const Json& parameters, const std::string& key) {
    return parameters.contains(key) ? parameters[key] : Json();
  };
  Sweep sweep;
  for (const auto& key : keys) {
    const Json first = value_of(configurations.front().second, key);
    if (std::all_of(configurations.begin(), configurations.end(),
                    [&](const auto& c) { return value_of(c.second, key) == first; }))
      continue;
    if (!sweep.parameter.empty()) return std::nullopt;
    sweep.parameter = key;
  }
  if (sweep.parameter.empty()) return std::nullopt;
  for (const auto& [label, parameters] : configurations) {
    const Json value = value_of(parameters, sweep.parameter);
    if (!value.is_number()) return std::nullopt;
    sweep.points.emplace_back(label, value.get<Real>());
  }
  std::sort(sweep.points.begin(), sweep.points.end(),
            [](const auto& a, const auto& b) { return a.second < b.second; });
  return sweep;
}

}  // namespace

std::optional<Figure> ranks(const Json& results, const FigureOptions& o) {
  // Per family, in the results' order: each configuration's label and parameters.
  std::vector<std::string> names;
  std::map<std::string, std::vector<std::pair<std::string, Json>>> configurations;
  std::set<std::string> seen;
  for (const auto& cell : results.at("cells")) {
    const std::string label = cell.at("method");
    if (!seen.insert(label).second) continue;
    if (!configurations.contains(family(label))) names.push_back(family(label));
    configurations[family(label)].emplace_back(label, cell.value("parameters", Json::object()));
  }
  // The families sweeping the parameter the first sweeping family sweeps.
  std::vector<std::pair<std::string, Sweep>> lines;
  for (const auto& name : names) {
    auto sweep = sweep_of(configurations[name]);
    if (sweep && (lines.empty() || sweep->parameter == lines.front().second.parameter))
      lines.emplace_back(name, *sweep);
  }
  if (lines.empty()) return std::nullopt;
  const std::string parameter = lines.front().second.parameter;
  Samples samples = final_samples(results, kPaperMetrics);
  std::vector<std::string> metrics = held(samples, kPaperMetrics);
  if (metrics.empty()) {
    metrics = {"si_sdr_imp"};
    samples = final_samples(results, metrics);
  }

  Figure f = figure(o, "ranks");
  const std::string file = quoted(f.data.filename().string());
  std::ofstream data(f.data);
  data << "# final metric (the mean over the scored sources) against " << parameter
       << "; per metric and method family: " << parameter << ", median, q1, q3, cells\n";
  std::set<Real> values;
  for (const auto& [name, sweep] : lines)
    for (const auto& point : sweep.points) values.insert(point.second);
  const Real low = *values.begin(), high = *values.rbegin();
  std::ofstream gp(f.script);
  gp << preamble(results, o, f, "") << layout(metrics) << " title "
     << quoted("Median final metric against " + parameter + ", bars from q1 to q3") << "\n"
     << "set xlabel " << quoted(parameter) << "\nset key inside bottom right font ',8'\n";
  // A decade or more of positive values (ranks 5 to 100) reads best on a log axis.
  if (low > 0 && high >= 10 * low)
    gp << "set logscale x\nset xrange [" << number(low / 1.25) << ":" << number(high * 1.25)
       << "]\n";
  else
    gp << "set xrange [" << number(low - 0.05 * (high - low)) << ":"
       << number(high + 0.05 * (high - low)) << "]\n";
  gp << "set xtics (";
  for (auto it = values.begin(); it != values.end(); ++it)
    gp << (it == values.begin() ? "" : ", ") << number(*it);
  gp << ")\n";
  std::vector<std::string> drawn;
  for (const auto& line : lines) drawn.push_back(line.first);
  int block = 0;
  for (const auto& metric : metrics) {
    gp << "set title " << quoted(results::metric_title(metric)) << "\nset ylabel "
       << quoted(results::metric_title(metric)) << "\nplot ";
    bool first = true;
    for (const auto& [name, sweep] : lines) {
      std::ostringstream rows;
      for (const auto& [label, x] : sweep.points) {
        const auto by_metric = samples.find(label);
        if (by_metric == samples.end() || !by_metric->second.contains(metric)) continue;
        const auto& v = by_metric->second.at(metric);
        rows << number(x) << " " << number(results::quantile(v, 0.5)) << " "
             << number(results::quantile(v, 0.25)) << " " << number(results::quantile(v, 0.75))
             << " " << v.size() << "\n";
      }
      if (rows.str().empty()) continue;
      data << "# " << metric << ", " << name << "\n" << rows.str() << "\n\n";
      gp << (first ? "" : ", \\\n     ") << file << " index " << block++
         << " using 1:2:3:4 with yerrorlines lw 2 pt 7 lc " << colour(drawn, name) << " title "
         << quoted(name);
      first = false;
    }
    gp << "\nunset key\n";
  }
  gp << "unset multiplot\n";
  return f;
}

}  // namespace nmfbench::plot::detail
