#include "plotting/figures.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "plotting/figure_parts.hpp"

namespace nmfbench::plot {
namespace fs = std::filesystem;
namespace detail {

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c == '\n' ? std::string("\\n") : std::string(1, c);
  }
  return out + "\"";
}

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

std::vector<std::string> method_labels(const Json& results) {
  std::vector<std::string> labels;
  std::set<std::string> seen;
  for (const auto& cell : results.at("cells")) {
    const std::string label = cell.at("method");
    if (seen.insert(label).second) labels.push_back(label);
  }
  return labels;
}

std::string family(const std::string& label) {
  return label.substr(0, label.find(' '));
}

int colour(const std::vector<std::string>& labels, const std::string& label) {
  std::vector<std::string> families;
  for (const auto& l : labels) {
    if (std::find(families.begin(), families.end(), family(l)) == families.end())
      families.push_back(family(l));
  }
  return static_cast<int>(std::find(families.begin(), families.end(), family(label)) -
                          families.begin()) +
         1;
}

}  // namespace detail

namespace {
using namespace detail;

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

// Training and validation loss against step, a line per trained method (paper 003, Fig. 2):
// the training loss of each step, the validation loss at each evaluation, dashed.
Figure learning(const Json& results, const FigureOptions& o) {
  Figure f = figure(o, "learning");
  std::ofstream data(f.data);
  data << "# loss against step; per method a block of (step, training loss) and, when it was "
          "validated, a block of (step, validation loss)\n";
  // Per method: the index of its training block and of its validation block (-1: none).
  std::vector<std::tuple<std::string, int, int>> blocks;
  int block = 0;
  for (const auto& [label, model] : results["models"].items()) {
    const Json log = model.value("training_log", Json::array());
    if (log.empty()) continue;
    data << "# method " << label << ", training\n";
    for (const auto& entry : log) data << entry["step"] << " " << number(entry["loss"]) << "\n";
    data << "\n\n";
    const int training = block++;
    int validation = -1;
    if (std::any_of(log.begin(), log.end(),
                    [](const Json& e) { return e.contains("validation_loss"); })) {
      data << "# method " << label << ", validation\n";
      for (const auto& entry : log)
        if (entry.contains("validation_loss"))
          data << entry["step"] << " " << number(entry["validation_loss"]) << "\n";
      data << "\n\n";
      validation = block++;
    }
    blocks.emplace_back(label, training, validation);
  }
  std::vector<std::string> labels;
  for (const auto& b : blocks) labels.push_back(std::get<0>(b));
  std::ofstream gp(f.script);
  gp << preamble(results, o, f, "Training (solid) and validation (dashed) loss")
     << "set xlabel 'step'\nset ylabel 'loss'\nset key outside right font ',8'\nplot ";
  const std::string file = quoted(f.data.filename().string());
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const auto& [label, training, validation] = blocks[i];
    gp << (i ? ", \\\n     " : "") << file << " index " << training
       << " using 1:2 with lines lw 1 lc " << colour(labels, label) << " title " << quoted(label);
    if (validation >= 0) {
      gp << ", \\\n     " << file << " index " << validation
         << " using 1:2 with linespoints lw 2 dt 2 pt 7 ps 0.5 lc " << colour(labels, label)
         << " notitle";
    }
  }
  gp << "\n";
  return f;
}

Figure distributions(const Json& results, const FigureOptions& o) {
  Figure f = figure(o, "distributions");
  const auto labels = method_labels(results);
  std::ofstream data(f.data);
  data << "# final SI-SDR improvement [dB] of every cell; columns: method index, value, key\n";
  // A method none of whose cells finished keeps its place, empty: gnuplot cannot draw a box
  // of no values.
  std::vector<bool> finished(labels.size(), false);
  for (const auto& cell : results.at("cells")) {
    if (cell.value("status", "") != "ok") continue;
    const auto position = static_cast<std::size_t>(
        std::find(labels.begin(), labels.end(), cell.at("method").get<std::string>()) -
        labels.begin());
    finished[position] = true;
    data << position << " " << number(cell.at("final").at("mean_si_sdr_imp")) << " "
         << quoted(cell.at("key").get<std::string>()) << "\n";
  }
  std::ofstream gp(f.script);
  gp << preamble(results, o, f, "Final SI-SDR improvement per example, draw and initialisation")
     << "unset key\nset style data boxplot\nset style boxplot outliers pointtype 7\n"
     << "set style fill solid 0.3 border -1\nset ylabel 'SI-SDR improvement [dB]'\n"
     << "set xtics rotate by -30 (";
  for (std::size_t i = 0; i < labels.size(); ++i)
    gp << (i ? ", " : "") << quoted(finished[i] ? labels[i] : labels[i] + " (failed)") << " " << i;
  gp << ")\nset bmargin 9\nset xrange [-0.6:" << static_cast<Real>(labels.size()) - 0.4
     << "]\nplot ";
  bool first = true;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (!finished[i]) continue;
    gp << (first ? "" : ", \\\n     ") << quoted(f.data.filename().string()) << " using (" << i
       << "):($1 == " << i << " ? $2 : NaN) with boxplot lc " << colour(labels, labels[i]);
    first = false;
  }
  gp << "\n";
  return f;
}

// A matrix block in gnuplot's nonuniform matrix layout: the column coordinates on the first
// row, then each row's coordinate and values; the values in dB, 0.1 dB apart at most.
void matrix_block(std::ostream& data, const std::string& what, const std::vector<Real>& rows,
                  const std::vector<Real>& columns, const Array& values) {
  data << "# " << what << "\n" << columns.size();
  for (Real c : columns) data << " " << c;
  data << "\n";
  char text[32];
  for (Eigen::Index i = 0; i < values.rows(); ++i) {
    data << rows[static_cast<std::size_t>(i)];
    for (Eigen::Index j = 0; j < values.cols(); ++j) {
      std::snprintf(text, sizeof text, " %.1f", 10 * std::log10(std::max(values(i, j), 1e-30)));
      data << text;
    }
    data << "\n";
  }
  data << "\n\n";
}

std::vector<Real> positions(Eigen::Index count) {
  std::vector<Real> out(static_cast<std::size_t>(count));
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<Real>(i + 1);
  return out;
}

// The top of a dB colour range: `span` dB below the largest value.
std::string db_range(const std::vector<const Array*>& arrays, Real span) {
  Real peak = 1e-30;
  for (const Array* a : arrays) peak = std::max(peak, a->maxCoeff());
  const Real top = std::ceil(10 * std::log10(peak));
  std::ostringstream out;
  out << "set cbrange [" << top - span << ":" << top << "]\n";
  return out.str();
}

void validate(const FigureOptions& options) {
  if (options.format != "png" && options.format != "svg")
    throw Error("plot: format '" + options.format + "', expected png or svg");
  // cairo, which draws the PNGs, refuses images beyond 32767 pixels a side (and gnuplot then
  // leaves an empty file); 10000 is far more than any figure needs.
  if (options.width < 100 || options.height < 100 || options.width > 10000 ||
      options.height > 10000) {
    throw Error("plot: the image size " + std::to_string(options.width) + "x" +
                std::to_string(options.height) +
                " is out of range; expected 100 to 10000 pixels a side");
  }
  fs::create_directories(options.out);
}

}  // namespace

Figure write_example(const Json& results, const ExampleView& view, const FigureOptions& o) {
  validate(o);
  const std::size_t sources = view.estimates.size();
  if (sources == 0 || view.references.size() != sources || view.improvements.size() != sources)
    throw Error("plot: the example needs a reference, an estimate and a score per source");
  if (view.bases.size() == 0 || view.activations.size() == 0)
    throw Error("plot: the method of cell '" + view.key + "' factorises nothing to draw");
  Figure f = figure(o, "example");
  std::ofstream data(f.data);
  data << "# cell " << view.key << "; nonuniform matrix blocks in dB (10 log10)\n";
  matrix_block(data, "mixture power spectrogram; rows Hz, columns s", view.frequencies, view.times,
               view.mixture);
  matrix_block(data, "bases W; rows Hz, columns component", view.frequencies,
               positions(view.bases.cols()), view.bases);
  matrix_block(data, "activations H; rows component, columns s", positions(view.activations.rows()),
               view.times, view.activations);
  for (std::size_t l = 0; l < sources; ++l) {
    matrix_block(data, "reference of source " + std::to_string(l + 1), view.frequencies, view.times,
                 view.references[l]);
    matrix_block(data, "estimate of source " + std::to_string(l + 1), view.frequencies, view.times,
                 view.estimates[l]);
  }
  std::vector<const Array*> spectrograms = {&view.mixture};
  for (std::size_t l = 0; l < sources; ++l) {
    spectrograms.push_back(&view.references[l]);
    spectrograms.push_back(&view.estimates[l]);
  }
  const std::string file = quoted(f.data.filename().string());
  // Block `index` of the data as an image, frequencies (Hz in the data) drawn in kHz.
  auto image = [&](std::size_t index, bool khz) {
    return "plot " + file + " index " + std::to_string(index) +
           " nonuniform matrix using 1:" + (khz ? "($2 / 1000)" : "2") + ":3 with image\n";
  };
  const std::string spectrogram_axes =
      "set xlabel 'time [s]'\nset ylabel 'frequency [kHz]'\nset cblabel 'dB'\n" +
      db_range(spectrograms, 80);
  // Two rows: the mixture and its factors, then each source's reference and estimate.
  const std::size_t columns = std::max<std::size_t>(3, 2 * sources);
  auto skip = [](std::size_t panels) {
    std::string out;
    for (std::size_t i = 0; i < panels; ++i) out += "set multiplot next\n";
    return out;
  };
  std::ofstream gp(f.script);
  gp << preamble(results, o, f, "") << "unset title\nunset key\nunset grid\nset autoscale fix\n"
     << "set palette defined (0 '#000004', 1 '#3b0f70', 2 '#8c2981', 3 '#de4968', 4 '#fe9f6d', "
        "5 '#fcfdbf')\nset tics out font ',8'\nset title font ',9'\nset multiplot layout 2,"
     << columns << " title " << quoted("cell " + view.key) << "\n"
     << spectrogram_axes << "set title 'mixture'\n"
     << image(0, true) << "set xlabel 'component'\nset xtics "
     << 5 * ((view.bases.cols() + 19) / 20) << "\n"
     << db_range({&view.bases}, 60) << "set title 'bases W'\n";
  // Separators between the sources' bases (separation concatenates them).
  const Eigen::Index per_source = view.bases.cols() / static_cast<Eigen::Index>(sources);
  for (std::size_t l = 1; l < sources; ++l) {
    gp << "set arrow " << l << " from " << static_cast<Real>(per_source * l) + 0.5
       << ", graph 0 to " << static_cast<Real>(per_source * l) + 0.5
       << ", graph 1 nohead front lc rgb 'white' lw 2\n";
  }
  gp << image(1, true)
     << "unset arrow\nset xtics autofreq\nset xlabel 'time [s]'\nset ylabel 'component'\n"
     << db_range({&view.activations}, 60) << "set title 'activations H'\n"
     << image(2, false) << skip(columns - 3) << spectrogram_axes;
  for (std::size_t l = 0; l < sources; ++l) {
    const std::string source = sources > 1 ? "source " + std::to_string(l + 1) + " " : "";
    std::ostringstream improvement;
    improvement.precision(3);
    improvement << view.improvements[l];
    gp << "set title " << quoted(source + "reference") << "\n"
       << image(3 + 2 * l, true) << "set title "
       << quoted(source + "estimate (SI-SDRi " + improvement.str() + " dB)") << "\n"
       << image(4 + 2 * l, true);
  }
  gp << skip(columns - 2 * sources) << "unset multiplot\n";
  return f;
}

std::string best_example_key(const Json& results) {
  struct Scores {
    std::string first_key;
    Real sum = 0;
    int count = 0;
  };
  std::map<std::string, Scores> methods;  // by label
  for (const auto& cell : results.at("cells")) {
    const Json& score = cell.value("final", Json::object()).value("mean_si_sdr_imp", Json());
    if (cell.value("status", "") != "ok" || !score.is_number()) continue;
    Scores& m = methods[cell.at("method")];
    if (m.count++ == 0) m.first_key = cell.at("key");
    m.sum += score.get<Real>();
  }
  if (methods.empty()) throw Error("plot: no cell of the results finished; there is no example");
  return std::max_element(methods.begin(), methods.end(),
                          [](const auto& a, const auto& b) {
                            return a.second.sum / a.second.count < b.second.sum / b.second.count;
                          })
      ->second.first_key;
}

std::vector<Figure> write_figures(const Json& results, const FigureOptions& options) {
  // Checked on the cells, not the aggregates, which a results file can hold without them.
  const Json& cells = results.at("cells");
  if (std::none_of(cells.begin(), cells.end(),
                   [](const Json& c) { return c.value("status", "") == "ok"; })) {
    throw Error("plot: the results hold no finished cell (" + std::to_string(cells.size()) +
                " cells, none ok); nothing to draw");
  }
  validate(options);
  std::vector<Figure> figures = {curves(results, options)};
  bool has_pdfs = false;
  if (results.contains("models"))
    for (const auto& [label, model] : results["models"].items())
      has_pdfs = has_pdfs || model.contains("learned_pdf");
  if (has_pdfs) figures.push_back(pdfs(results, options));
  bool has_training = false;
  if (results.contains("models"))
    for (const auto& [label, model] : results["models"].items())
      has_training = has_training || !model.value("training_log", Json::array()).empty();
  if (has_training) figures.push_back(learning(results, options));
  figures.push_back(distributions(results, options));
  if (auto f = detail::paired(results, options)) figures.push_back(*f);
  if (auto f = detail::ranks(results, options)) figures.push_back(*f);
  return figures;
}

bool draw(const std::vector<Figure>& figures) {
  if (std::system("command -v gnuplot > /dev/null 2>&1") != 0) return false;
  for (const auto& f : figures) {
    const std::string command = "cd " + quoted(f.script.parent_path().string()) + " && gnuplot " +
                                quoted(f.script.filename().string()) + " 2>&1";
    // A failed drawing leaves no image: a partial or empty file would pass for a figure.
    std::error_code ec;
    if (std::system(command.c_str()) != 0) {
      fs::remove(f.image, ec);
      throw Error("plot: gnuplot failed on '" + f.script.string() + "'");
    }
    if (fs::file_size(f.image, ec) == 0 || ec) {
      fs::remove(f.image, ec);
      throw Error("plot: gnuplot drew no image from '" + f.script.string() + "'");
    }
  }
  return true;
}

}  // namespace nmfbench::plot
