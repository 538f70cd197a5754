#include "core/label_order.hpp"

#include <charconv>
#include <cmath>
#include <optional>
#include <tuple>
#include <utility>

namespace nmfbench {
namespace {

// A finite leading number and the unit after it.
std::optional<std::pair<double, std::string>> number_and_unit(const std::string& s) {
  double value = 0;
  const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (error != std::errc() || !std::isfinite(value)) return std::nullopt;
  return std::pair{value, std::string(end, s.data() + s.size())};
}

}  // namespace

bool label_less(const std::string& a, const std::string& b) {
  // Compared as (no number, unit, number, text): a strict weak order however values mix.
  auto key = [](const std::string& s) {
    const auto parsed = number_and_unit(s);
    return parsed ? std::tuple{false, parsed->second, parsed->first, s}
                  : std::tuple{true, std::string(), 0.0, s};
  };
  return key(a) < key(b);
}

}  // namespace nmfbench
