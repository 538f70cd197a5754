#pragma once

// Figures from a results document (results/results.hpp), drawn by gnuplot. Each figure is a
// data file and a gnuplot script written side by side, so a user can restyle and redraw it
// (`gnuplot NAME.gp`); the images are drawn when gnuplot is installed.

#include <filesystem>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/types.hpp"

namespace nmfbench::plot {

struct FigureOptions {
  std::filesystem::path out;      // the folder for data, scripts and images
  std::string format = "png";     // png or svg
  int width = 900, height = 540;  // pixels
};

struct Figure {
  std::string name;  // curves, pdfs, learning, distributions, paired, ranks, example
  std::filesystem::path data, script, image;
};

// Writes the data and script of every figure the results can give:
//  curves:        mean SI-SDRi against iteration, a line per method, a panel per split, untrained
//                 models dashed (paper 000, Figs. 4 and 6);
//  pdfs:          learned log-PDFs against |y| with the complex Gaussian (Figs. 5 and 7), when
//                 the results hold learned PDFs;
//  learning:      training and validation loss against step per trained method (paper 003,
//                 Fig. 2), when the results hold training logs;
//  distributions: per-example final SI-SDRi per method as box plots;
//  paired:        per-example final SDR, SIR, SAR and STOI, a panel per metric, as split violins
//                 with medians and quartiles: each method of the other families faces the first
//                 family's configuration of the same swept values (paper 002, Fig. 2), when the
//                 results hold those metrics;
//  ranks:         median and quartiles of those metrics (else of SI-SDRi) against the numeric
//                 parameter a family's configurations sweep (paper 002, Fig. 3), when one does.
// A family is a label's first word ("nae" of "nae components=20").
// Every figure carries a caption naming the spec, the data (stand-in or real) and the commit.
std::vector<Figure> write_figures(const Json& results, const FigureOptions& options);

// One cell seen close up: what the single-example figure draws.
struct ExampleView {
  std::string key;                 // the cell's key in the results
  std::vector<Real> frequencies;   // Hz, one per bin
  std::vector<Real> times;         // s, the centre of each frame
  Array mixture;                   // power spectrogram, bins x frames
  std::vector<Array> references;   // per source
  std::vector<Array> estimates;    // per source, at the last checkpoint
  std::vector<Real> improvements;  // per source: final SI-SDR improvement [dB]
  Array bases, activations;        // W (bins x components), H (components x frames)
};

// Writes the single-example figure (in the spirit of paper 002, Fig. 1): the mixture, W and H
// on the first row, then each source's reference and estimate, spectrograms in dB.
Figure write_example(const Json& results, const ExampleView& view, const FigureOptions& options);

// The key of the cell the example figure shows by default: the first cell of the method with
// the highest mean final SI-SDR improvement. Throws Error when no cell finished.
std::string best_example_key(const Json& results);

// Runs gnuplot on each figure's script. Returns false, drawing nothing, when gnuplot is not
// installed; throws Error naming the script when gnuplot fails on it.
bool draw(const std::vector<Figure>& figures);

}  // namespace nmfbench::plot
