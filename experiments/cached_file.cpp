#include "experiments/cached_file.hpp"

#include <iostream>

#include "core/types.hpp"

namespace nmfbench::exp {

bool usable_cached_file(const std::filesystem::path& path,
                        const std::function<void(const std::filesystem::path&)>& check) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return false;
  try {
    check(path);
    return true;
  } catch (const Error& e) {
    const std::filesystem::path aside = path.string() + ".unusable";
    std::filesystem::rename(path, aside, ec);
    std::cerr << "warning: " << e.what() << "; "
              << (ec ? "it could not be moved aside (" + ec.message() + ")"
                     : "moved aside to '" + aside.string() + "'")
              << " and computed again\n";
    return false;
  }
}

}  // namespace nmfbench::exp
