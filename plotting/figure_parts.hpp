#pragma once

// What the figure writers share (figures.cpp, paper002_figures.cpp); internal to plotting.

#include <optional>
#include <string>
#include <vector>

#include "plotting/figures.hpp"

namespace nmfbench::plot::detail {

// A gnuplot double-quoted string: quotes and backslashes escaped, newlines as \n.
std::string quoted(const std::string& text);

// A number for a data file; gnuplot skips NaN (what JSON's null, an overflowed value, becomes).
std::string number(const Json& value);

// A figure's preamble: terminal, output file, caption line at the bottom and title.
std::string preamble(const Json& results, const FigureOptions& o, const Figure& f,
                     const std::string& title);

// The data, script and image paths of the figure `name`.
Figure figure(const FigureOptions& o, const std::string& name);

// Methods in the order the results list them.
std::vector<std::string> method_labels(const Json& results);

// A method's family: its label's first word (t, ggd, nae, ...); a family's lines share a colour.
std::string family(const std::string& label);
int colour(const std::vector<std::string>& labels, const std::string& label);

// Paper 002's figures (paper002_figures.cpp); nothing where the results cannot give them.
std::optional<Figure> paired(const Json& results, const FigureOptions& o);
std::optional<Figure> ranks(const Json& results, const FigureOptions& o);

}  // namespace nmfbench::plot::detail
