#pragma once

#include <functional>
#include <string>
#include <vector>

#include "experiments/cli/args.hpp"

namespace nmfbench::cli {

// One verb of the nmfbench command line: its options are declared once, and `--help`,
// parsing and error messages all read that declaration.
struct Verb {
  std::string name;
  std::string synopsis;  // one line of usage after "nmfbench NAME"
  std::string summary;
  std::function<void(Args&)> declare;
  std::function<int(const Args&)> run;
};

// Every verb, in the order `nmfbench --help` lists them; one line each in verbs.cpp.
const std::vector<Verb>& verbs();

Verb demo_verb();
Verb denoise_verb();
Verb list_verb();
Verb merge_verb();
Verb metrics_verb();
Verb plot_verb();
Verb run_verb();
Verb separate_verb();
Verb slurm_verb();
Verb table_verb();

}  // namespace nmfbench::cli
