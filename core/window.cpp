#include "core/window.hpp"

#include "core/named_enum.hpp"

#include <cmath>
#include <numbers>

namespace nmfbench {

Signal make_window(WindowType type, int length) {
  if (length < 1) throw Error("window length must be positive, got " + std::to_string(length));
  const Signal phase = Signal::LinSpaced(length, 0, length - 1) * (2 * std::numbers::pi / length);
  switch (type) {
    case WindowType::hamming:
      return 0.54 - 0.46 * phase.cos();
    case WindowType::hann:
      return 0.5 - 0.5 * phase.cos();
    case WindowType::sqrt_hann:
      return (0.5 - 0.5 * phase.cos()).sqrt();
  }
  throw Error("unknown window type");
}

namespace {
constexpr EnumNames<WindowType, 3> kWindowNames{{{WindowType::hamming, "hamming"},
                                                 {WindowType::hann, "hann"},
                                                 {WindowType::sqrt_hann, "sqrt_hann"}}};
}  // namespace

std::string to_string(WindowType type) {
  return enum_name(type, kWindowNames);
}

WindowType parse_window(std::string_view name) {
  return parse_enum(name, kWindowNames, "window");
}

}  // namespace nmfbench
