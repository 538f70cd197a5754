#pragma once

// Figures from a results document (results/results.hpp), drawn by gnuplot. Each figure is a
// data file and a gnuplot script written side by side, so a user can restyle and redraw it
// (`gnuplot NAME.gp`); the images are drawn when gnuplot is installed.

#include <filesystem>
#include <string>
#include <vector>

#include "core/json.hpp"

namespace nmfbench::plot {

struct FigureOptions {
  std::filesystem::path out;      // the folder for data, scripts and images
  std::string format = "png";     // png or svg
  int width = 900, height = 540;  // pixels
};

struct Figure {
  std::string name;  // curves, pdfs, distributions
  std::filesystem::path data, script, image;
};

// Writes the data and script of every figure the results can give:
//  curves:        mean SI-SDRi against iteration, a line per method, a panel per split, untrained
//                 models dashed (paper 000, Figs. 4 and 6);
//  pdfs:          learned log-PDFs against |y| with the complex Gaussian (Figs. 5 and 7), when
//                 the results hold learned PDFs;
//  distributions: per-example final SI-SDRi per method as box plots (paper 002, Fig. 2).
// Every figure carries a caption naming the spec, the data (stand-in or real) and the commit.
std::vector<Figure> write_figures(const Json& results, const FigureOptions& options);

// Runs gnuplot on each figure's script. Returns false, drawing nothing, when gnuplot is not
// installed; throws Error naming the script when gnuplot fails on it.
bool draw(const std::vector<Figure>& figures);

}  // namespace nmfbench::plot
