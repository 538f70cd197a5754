#include <iostream>

#include "experiments/cli/verbs.hpp"
#include "plotting/figures.hpp"
#include "results/results.hpp"

namespace nmfbench::cli {
namespace {

int run(const Args& args) {
  const std::filesystem::path results_path = args.get("results");
  const Json results = results::read_results(results_path.string());
  plot::FigureOptions options;
  options.out = args.has("out") ? std::filesystem::path(args.get("out"))
                                : results_path.parent_path() / "figures";
  options.format = args.get("format");
  const std::string size = args.get("size");
  const auto comma = size.find(',');
  try {
    if (comma == std::string::npos) throw std::invalid_argument(size);
    options.width = std::stoi(size.substr(0, comma));
    options.height = std::stoi(size.substr(comma + 1));
  } catch (const std::exception&) {
    throw UsageError{"--size: expected WIDTH,HEIGHT in pixels, got '" + size + "'"};
  }
  const auto figures = plot::write_figures(results, options);
  const bool drawn = plot::draw(figures);
  for (const auto& f : figures)
    std::cout << (drawn ? f.image : f.script).string() << "  (" << f.name << ")\n";
  if (!drawn) {
    std::cerr << "gnuplot is not installed (Debian: apt-get install gnuplot-nox): the data and "
                 "scripts are written in "
              << options.out.string() << "; run gnuplot on each .gp file there to draw them\n";
  }
  return kExitOk;
}

}  // namespace

Verb plot_verb() {
  return {"plot", "RESULTS [--out DIR] [--format png|svg] [--size W,H]",
          "Draw figures from a results file with gnuplot: SI-SDRi against iteration, learned "
          "log-PDFs, per-example distributions; data and scripts are kept beside the images.",
          [](Args& a) {
            a.positional("results", "a results.json written by nmfbench run or merge")
                .option("out", "DIR", "output folder (default: figures/ beside RESULTS)")
                .option("format", "png|svg", "image format", "png")
                .option("size", "W,H", "image size in pixels", "900,540");
          },
          run};
}

}  // namespace nmfbench::cli
