#include "experiments/cli/verbs.hpp"

namespace nmfbench::cli {

const std::vector<Verb>& verbs() {
  static const std::vector<Verb> all = {
      list_verb(),  run_verb(),     table_verb(),    plot_verb(),    merge_verb(),
      slurm_verb(), denoise_verb(), separate_verb(), metrics_verb(), demo_verb(),
  };
  return all;
}

}  // namespace nmfbench::cli
