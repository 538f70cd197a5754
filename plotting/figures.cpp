#include "plotting/figures.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace nmfbench::plot {
namespace fs = std::filesystem;
namespace {

// gnuplot's strings are double-quoted; quotes and backslashes in labels are escaped.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// A number for a data file; gnuplot skips NaN (what JSON's null, an overflowed value, becomes).
std::string number(const Json& value) {
  if (!value.is_number()) return "NaN";
  std::ostringstream out;
  out.precision(17);
  out << value.get<Real>();
  return out.str();
}

std::string caption(const Json& results) {
  const Json& manifest = results.at("manifest");
  return "spec " + manifest.at("spec").value("name", std::string("?")) +
         " | data: " + manifest.value("data", std::string("?")) + " | commit " +
         manifest.value("commit", std::string("?"));
}

std::string terminal(const FigureOptions& o) {
  const std::string size = std::to_string(o.width) + "," + std::to_string(o.height);
  if (o.format == "svg") return "set terminal svg size " + size + " dynamic font 'Sans,11'\n";
  return "set terminal pngcairo size " + size + " font 'Sans,10'\n";
}

// A figure's preamble: terminal, output file and the caption line at the bottom.
std::string preamble(const Json& results, const FigureOptions& o, const Figure& f,
                     const std::string& title) {
  return "# Drawn by nmfbench plot; edit and run `gnuplot " + f.script.filename().string() +
         "` in this folder to redraw.\n" + terminal(o) + "set output " +
         quoted(f.image.filename().string()) +
         "\nset encoding utf8\nset termoption noenhanced\nset key outside right top\n" +
         "set grid\nset label 100 " + quoted(caption(results)) +
         " at screen 0.01, screen 0.015 font ',8'\nset bmargin 5\nset title " + quoted(title) +
         "\n";
}

Figure figure(const FigureOptions& o, const std::string& name) {
  return {name, o.out / (name + ".dat"), o.out / (name + ".gp"), o.out / (name + "." + o.format)};
}

// Methods in the order the results list them.
std::vector<std::string> method_labels(const Json& results) {
  std::vector<std::string> labels;
  std::set<std::string> seen;
  for (const auto& cell : results.at("cells")) {
    const std::string label = cell.at("method");
    if (seen.insert(label).second) labels.push_back(label);
  }
  return labels;
}

// Lines of one method family (a label's first word: t, ggd, nn, ...) share a colour.
int colour(const std::vector<std::string>& labels, const std::string& label) {
  std::vector<std::string> families;
  for (const auto& l : labels) {
    const std::string family = l.substr(0, l.find(' '));
    if (std::find(families.begin(), families.end(), family) == families.end())
      families.push_back(family);
  }
  const std::string family = label.substr(0, label.find(' '));
  return static_cast<int>(std::find(families.begin(), families.end(), family) - families.begin()) +
         1;
}

bool untrained(const Json& results, const std::string& label) {
  return results.contains("models") && results["models"].contains(label) &&
         !results["models"][label].value("trained", true);
}

// One block per (split, method) of "iteration mean" rows, blocks separated by two blank lines
// so gnuplot's `index` picks them.
Figure curves(const Json& results, const FigureOptions& o) {
  Figure f = figure(o, "curves");
  const auto labels = method_labels(results);
  std::vector<std::string> splits;
  std::map<std::pair<std::string, std::string>, std::vector<std::pair<int, Json>>> series;
  for (const auto& a : results.at("aggregates")) {
    const std::string split = a.at("split");
    if (std::find(splits.begin(), splits.end(), split) == splits.end()) splits.push_back(split);
    series[{split, a.at("method")}].emplace_back(a.at("iteration"), a.at("mean"));
  }
  std::ofstream data(f.data);
  data << "# mean SI-SDR improvement [dB] against iteration; one block per split and method\n";
  std::map<std::pair<std::string, std::string>, int> index;
  int block = 0;
  for (const auto& split : splits) {
    for (const auto& label : labels) {
      const auto it = series.find({split, label});
      if (it == series.end()) continue;
      data << "# split " << split << ", method " << label << "\n";
      for (const auto& [iteration, mean] : it->second)
        data << iteration << " " << number(mean) << "\n";
      data << "\n\n";
      index[{split, label}] = block++;
    }
  }
  std::ofstream gp(f.script);
  gp << preamble(results, o, f, "SI-SDR improvement against iterations")
     << "set multiplot layout 1," << splits.size() << "\n"
     << "set xlabel 'iteration'\nset ylabel 'SI-SDR improvement [dB]'\n";
  for (std::size_t s = 0; s < splits.size(); ++s) {
    gp << "set title " << quoted("split " + splits[s]) << "\n";
    // One legend, inside the first panel, so that the panels keep equal widths.
    gp << (s == 0 ? "set key inside right bottom font ',8' opaque box\n" : "unset key\n")
       << "plot ";
    bool first = true;
    for (const auto& label : labels) {
      const auto it = index.find({splits[s], label});
      if (it == index.end()) continue;
      gp << (first ? "" : ", \\\n     ") << quoted(f.data.filename().string()) << " index "
         << it->second << " using 1:2 with lines lw 2 lc " << colour(labels, label) << " dt "
         << (untrained(results, label) ? 2 : 1) << " title " << quoted(label);
      first = false;
    }
    gp << "\n";
  }
  gp << "unset multiplot\n";
  return f;
}

Figure pdfs(const Json& results, const FigureOptions& o) {
  Figure f = figure(o, "pdfs");
  std::ofstream data(f.data);
  data
      << "# learned log-PDF log p(y) against |y| (yhat = 1); columns: |y|, log p, Gaussian log p\n";
  std::vector<std::string> labels;  // the methods with a learned PDF
  for (const auto& [label, model] : results["models"].items()) {
    if (!model.contains("learned_pdf")) continue;
    const Json& pdf = model["learned_pdf"];
    data << "# method " << label << "\n";
    for (std::size_t i = 0; i < pdf["magnitude"].size(); ++i) {
      data << number(pdf["magnitude"][i]) << " " << number(pdf["log_pdf"][i]) << " "
           << number(pdf["gaussian_log_pdf"][i]) << "\n";
    }
    data << "\n\n";
    labels.push_back(label);
  }
  std::ofstream gp(f.script);
  gp << preamble(results, o, f, "Learned log-PDFs (eq. 13)") << "set logscale x\n"
     << "set xlabel '|y| (yhat = 1)'\nset ylabel 'log p(y)'\nset yrange [-25:*]\nplot ";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    gp << quoted(f.data.filename().string()) << " index " << i << " using 1:2 with lines lw 2 lc "
       << colour(labels, labels[i]) << " dt " << (untrained(results, labels[i]) ? 2 : 1)
       << " title " << quoted(labels[i]) << ", \\\n     ";
  }
  gp << quoted(f.data.filename().string())
     << " index 0 using 1:3 with lines lw 2 lc rgb 'black' dt 3 title 'Gaussian'\n";
  return f;
}

Figure distributions(const Json& results, const FigureOptions& o) {
  Figure f = figure(o, "distributions");
  const auto labels = method_labels(results);
  std::ofstream data(f.data);
  data << "# final SI-SDR improvement [dB] of every cell; columns: method index, value, key\n";
  for (const auto& cell : results.at("cells")) {
    if (cell.value("status", "") != "ok") continue;
    const auto position =
        std::find(labels.begin(), labels.end(), cell.at("method").get<std::string>()) -
        labels.begin();
    data << position << " " << number(cell.at("final").at("mean_si_sdr_imp")) << " "
         << quoted(cell.at("key").get<std::string>()) << "\n";
  }
  std::ofstream gp(f.script);
  gp << preamble(results, o, f, "Final SI-SDR improvement per example, draw and initialisation")
     << "unset key\nset style data boxplot\nset style boxplot outliers pointtype 7\n"
     << "set style fill solid 0.3 border -1\nset ylabel 'SI-SDR improvement [dB]'\n"
     << "set xtics rotate by -30 (";
  for (std::size_t i = 0; i < labels.size(); ++i)
    gp << (i ? ", " : "") << quoted(labels[i]) << " " << i;
  gp << ")\nset bmargin 9\nset xrange [-0.6:" << static_cast<Real>(labels.size()) - 0.4
     << "]\nplot ";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    gp << (i ? ", \\\n     " : "") << quoted(f.data.filename().string()) << " using (" << i
       << "):($1 == " << i << " ? $2 : NaN) with boxplot lc " << colour(labels, labels[i]);
  }
  gp << "\n";
  return f;
}

}  // namespace

std::vector<Figure> write_figures(const Json& results, const FigureOptions& options) {
  if (options.format != "png" && options.format != "svg")
    throw Error("plot: format '" + options.format + "', expected png or svg");
  if (options.width < 100 || options.height < 100)
    throw Error("plot: the image size must be at least 100x100 pixels");
  fs::create_directories(options.out);
  std::vector<Figure> figures = {curves(results, options)};
  bool has_pdfs = false;
  if (results.contains("models"))
    for (const auto& [label, model] : results["models"].items())
      has_pdfs = has_pdfs || model.contains("learned_pdf");
  if (has_pdfs) figures.push_back(pdfs(results, options));
  figures.push_back(distributions(results, options));
  return figures;
}

bool draw(const std::vector<Figure>& figures) {
  if (std::system("command -v gnuplot > /dev/null 2>&1") != 0) return false;
  for (const auto& f : figures) {
    const std::string command = "cd " + quoted(f.script.parent_path().string()) + " && gnuplot " +
                                quoted(f.script.filename().string()) + " 2>&1";
    if (std::system(command.c_str()) != 0)
      throw Error("plot: gnuplot failed on '" + f.script.string() + "'");
  }
  return true;
}

}  // namespace nmfbench::plot
