#include "datasets/files.hpp"

#include <algorithm>

#include "core/types.hpp"

namespace nmfbench::data {
namespace fs = std::filesystem;

void require_directory(const fs::path& dir, const std::string& dataset,
                       const std::string& expected) {
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) {
    throw Error(dataset + ": root '" + dir.string() + "' is not a folder; expected " + expected);
  }
}

std::vector<fs::path> sorted_entries(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace nmfbench::data
