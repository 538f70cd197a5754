#include <unistd.h>

#include <iostream>

#include "experiments/cli/verbs.hpp"
#include "experiments/runner.hpp"
#include "plotting/figures.hpp"
#include "results/results.hpp"

namespace nmfbench::cli {
namespace fs = std::filesystem;
namespace {

plot::FigureOptions figure_options(const Args& args, const fs::path& results_path) {
  plot::FigureOptions options;
  options.out =
      args.has("out") ? fs::path(args.get("out")) : results_path.parent_path() / "figures";
  options.format = args.get("format");
  const std::string size = args.get("size");
  const auto comma = size.find(',');
  const auto width = parse_integer(size.substr(0, comma));
  const auto height =
      comma == std::string::npos ? std::nullopt : parse_integer(size.substr(comma + 1));
  if (!width || !height)
    throw UsageError{"--size: expected WIDTH,HEIGHT in pixels, got '" + size + "'"};
  options.width = *width;
  options.height = *height;
  return options;
}

// A temporary folder for state that has to be trained again, removed when done.
class ScratchDir {
 public:
  ScratchDir() : path_(fs::temp_directory_path() / ("nmfbench-plot-" + std::to_string(getpid()))) {}
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Replays the example cell from the spec in the results' manifest and writes its figure.
plot::Figure example_figure(const Args& args, const Json& results, const fs::path& results_path,
                            const plot::FigureOptions& options) {
  const std::string key =
      args.get("example") == "best" ? plot::best_example_key(results) : args.get("example");
  const exp::ExperimentSpec spec = [&] {
    try {
      return exp::parse_spec(results.at("manifest").at("spec"));
    } catch (const Error& e) {
      throw Error("results '" + results_path.string() + "': manifest." + e.what());
    }
  }();
  std::optional<ScratchDir> scratch;
  fs::path trained =
      args.has("trained") ? fs::path(args.get("trained")) : results_path.parent_path() / "trained";
  if (args.has("trained") && !fs::is_directory(trained))
    throw Error("--trained: '" + trained.string() + "' is not a folder (a run's trained/)");
  if (!args.has("trained") && !fs::is_directory(trained)) {
    scratch.emplace();
    trained = scratch->path();
    std::cerr << "no trained/ folder beside " << results_path.string()
              << ": what the example needs is trained again (--trained DIR reuses a run's)\n";
  }
  std::cerr << "replaying cell " << key << "\n";
  const exp::CellView cell = exp::replay_cell(spec, key, trained, true);
  const Stft stft(spec.stft);
  plot::ExampleView view;
  view.key = key;
  for (int m = 0; m < stft.bins(); ++m)
    view.frequencies.push_back(m * static_cast<Real>(spec.sample_rate) / spec.stft.fft_size);
  for (Eigen::Index t = 0; t < cell.mixture.cols(); ++t)
    view.times.push_back(stft.frame_centre(t) / spec.sample_rate);
  view.mixture = cell.mixture.abs2();
  for (std::size_t l = 0; l < cell.estimates.size(); ++l) {
    view.references.push_back(cell.references[l].abs2());
    view.estimates.push_back(cell.estimates[l].abs2());
    view.improvements.push_back(cell.record["final"]["si_sdr_imp"][l].get<Real>());
  }
  view.bases = cell.bases;
  view.activations = cell.activations;
  return plot::write_example(results, view, options);
}

int run(const Args& args) {
  const fs::path results_path = args.get("results");
  const plot::FigureOptions options = figure_options(args, results_path);
  const Json results = results::read_results(results_path.string());
  auto figures = plot::write_figures(results, options);
  if (args.get("example") != "none")
    figures.push_back(example_figure(args, results, results_path, options));
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
  return {"plot",
          "RESULTS [--out DIR] [--format png|svg] [--size W,H] [--example KEY|best|none] "
          "[--trained DIR]",
          "Draw figures from a results file with gnuplot: SI-SDRi against iteration, learned "
          "log-PDFs, training and validation loss, per-example distributions, paired "
          "distributions per metric, metrics against a swept parameter, and one "
          "example's spectrograms, bases and activations; data and scripts are kept beside the "
          "images.",
          [](Args& a) {
            a.positional("results", "a results.json written by nmfbench run or merge")
                .option("out", "DIR", "output folder (default: figures/ beside RESULTS)")
                .option("format", "png|svg", "image format", "png")
                .option("size", "W,H", "image size in pixels", "900,540")
                .option("example", "KEY|best|none",
                        "the cell the example figure replays (a key of RESULTS' cells; best: the "
                        "first cell of the best method; none: no example figure)",
                        "best")
                .option("trained", "DIR",
                        "the run's trained state for the replay (default: trained/ beside "
                        "RESULTS; when absent, what is needed is trained again)");
          },
          run};
}

}  // namespace nmfbench::cli
