#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "core/types.hpp"

namespace nmfbench {

// The names of an enum's values, declared once; printing and parsing both read this table.
template <typename Enum, std::size_t N>
using EnumNames = std::array<std::pair<Enum, const char*>, N>;

template <typename Enum, std::size_t N>
std::string enum_name(Enum value, const EnumNames<Enum, N>& names) {
  for (const auto& [v, name] : names) {
    if (v == value) return name;
  }
  throw Error("enum value without a name");
}

// Throws Error naming `what`, the bad name and every valid one.
template <typename Enum, std::size_t N>
Enum parse_enum(std::string_view text, const EnumNames<Enum, N>& names, std::string_view what) {
  std::string valid;
  for (const auto& [v, name] : names) {
    if (text == name) return v;
    valid += (valid.empty() ? "" : ", ") + std::string(name);
  }
  throw Error("unknown " + std::string(what) + " '" + std::string(text) + "'; expected one of " +
              valid);
}

}  // namespace nmfbench
