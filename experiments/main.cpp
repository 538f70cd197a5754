#include <iostream>
#include <string>
#include <vector>

#include "core/allocator.hpp"
#include "core/types.hpp"
#include "experiments/cli/verbs.hpp"
#include "nmfbench/build_info.hpp"

namespace {

using namespace nmfbench::cli;

void print_overview() {
  std::cout
      << "nmfbench " << nmfbench::build_info::version
      << " - NMF-family audio source separation benchmarks\n\n"
         "usage: nmfbench VERB [options]     nmfbench VERB --help for its options\n\nverbs:\n";
  for (const auto& verb : verbs()) {
    std::cout << "  " << verb.name << std::string(10 - verb.name.size(), ' ') << verb.summary
              << "\n";
  }
  std::cout
      << "\nexit codes: 0 success, 1 failure (bad input or failed computation), 2 usage error\n";
}

void print_usage(const Verb& verb, const Args& args) {
  std::cout << "usage: nmfbench " << verb.name << " " << verb.synopsis << "\n\n"
            << verb.summary << "\n\noptions:\n"
            << args.help();
}

}  // namespace

int main(int argc, char** argv) {
  nmfbench::keep_large_blocks_in_heap();
  const std::vector<std::string> words(argv + 1, argv + argc);
  if (words.empty() || words[0] == "--help" || words[0] == "-h" || words[0] == "help") {
    print_overview();
    return words.empty() ? kExitUsage : kExitOk;
  }
  if (words[0] == "--version") {
    std::cout << "nmfbench " << nmfbench::build_info::version << " (commit "
              << nmfbench::build_info::git_commit << ", " << nmfbench::build_info::compiler << ", "
              << nmfbench::build_info::build_type << ")\n";
    return kExitOk;
  }
  for (const auto& verb : verbs()) {
    if (verb.name != words[0]) continue;
    Args args;
    verb.declare(args);
    const std::vector<std::string> rest(words.begin() + 1, words.end());
    for (const auto& w : rest) {
      if (w == "--help" || w == "-h") {
        print_usage(verb, args);
        return kExitOk;
      }
    }
    try {
      args.parse(rest);
      return verb.run(args);
    } catch (const UsageError& e) {
      std::cerr << "nmfbench " << verb.name << ": " << e.message << "\n\n";
      print_usage(verb, args);
      return kExitUsage;
    } catch (const std::exception& e) {
      std::cerr << "nmfbench " << verb.name << ": error: " << e.what() << "\n";
      return kExitFailure;
    }
  }
  std::cerr << "nmfbench: unknown verb '" << words[0] << "'\n\n";
  print_overview();
  return kExitUsage;
}
