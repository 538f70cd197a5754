#include <iostream>

#include "core/stft.hpp"
#include "datasets/dataset.hpp"
#include "experiments/cli/verbs.hpp"
#include "experiments/spec.hpp"
#include "methods/registry.hpp"

namespace nmfbench::cli {
namespace {

std::string describe_learning(const Capabilities& c) {
  std::string learns;
  if (c.per_example) learns = "per example from each source's training audio";
  if (c.split == SplitLearning::end_to_end)
    learns += (learns.empty() ? "" : ", and ") + std::string("on the training split end to end");
  if (c.split == SplitLearning::from_sources)
    learns += (learns.empty() ? "" : ", and ") +
              std::string("on the training split from the clean sources");
  return learns.empty() ? "nothing" : learns;
}

int run(const Args&) {
  std::cout << "verbs:\n";
  for (const auto& verb : verbs()) std::cout << "  " << verb.name << ": " << verb.summary << "\n";
  std::cout << "\nmethods:\n";
  for (const auto& m : method_registry().all()) {
    std::cout << "  " << m.info.name << ": " << m.info.summary << "\n";
    for (const auto& [task, c] : m.info.tasks) {
      std::cout << "    task " << to_string(task) << ": learns " << describe_learning(c) << "; "
                << (c.iterative ? "iterative" : "feed-forward") << "\n";
    }
    for (const auto& p : m.info.parameters) {
      std::cout << "    " << p.name << " (" << p.describe() << "): " << p.doc << "\n";
    }
  }
  std::cout << "\ndataset loaders:\n";
  for (const auto& d : data::dataset_loaders())
    std::cout << "  " << d.name << ": " << d.summary << "\n";
  std::cout << "\nSTFT windows:";
  for (auto w : {WindowType::hamming, WindowType::hann, WindowType::sqrt_hann}) {
    std::cout << " " << to_string(w);
  }
  std::cout << "\nSTFT framings:";
  for (auto f : {Framing::centered_reflect, Framing::centered_zero, Framing::uncentered}) {
    std::cout << " " << to_string(f);
  }
  // stoi and estoi are scored where the spec's scoring asks for them ("stoi": true).
  std::cout << "\ntable metrics:";
  for (const auto& metric : exp::table_metrics()) std::cout << " " << metric;
  std::cout << "\n";
  return kExitOk;
}

}  // namespace

Verb list_verb() {
  return {"list", "",
          "List what nmfbench offers: verbs, methods, datasets, STFT settings, table metrics.",
          [](Args&) {}, run};
}

}  // namespace nmfbench::cli
