#include <iostream>

#include "core/stft.hpp"
#include "datasets/dataset.hpp"
#include "experiments/cli/verbs.hpp"
#include "methods/registry.hpp"

namespace nmfbench::cli {
namespace {

int run(const Args&) {
  std::cout << "verbs:\n";
  for (const auto& verb : verbs()) std::cout << "  " << verb.name << ": " << verb.summary << "\n";
  std::cout << "\nmethods:\n";
  for (const auto& m : method_registry().all()) {
    std::string tasks;
    for (Task t : m.info.tasks) tasks += (tasks.empty() ? "" : ", ") + to_string(t);
    std::cout << "  " << m.info.name << ": " << m.info.summary << "\n    tasks: " << tasks << "\n";
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
  std::cout << "\n";
  return kExitOk;
}

}  // namespace

Verb list_verb() {
  return {"list", "", "List what nmfbench offers: verbs, methods, datasets, STFT settings.",
          [](Args&) {}, run};
}

}  // namespace nmfbench::cli
