#pragma once

#include <string>

namespace nmfbench {

// `prefix` followed by `index`: indexed("W", 3) is "W3". Appending avoids GCC 12's false
// -Wrestrict on "literal" + std::string (GCC bug 105329).
inline std::string indexed(std::string prefix, long index) {
  prefix += std::to_string(index);
  return prefix;
}

}  // namespace nmfbench
