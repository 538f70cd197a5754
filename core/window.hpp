#pragma once

#include <string>
#include <string_view>

#include "core/types.hpp"

namespace nmfbench {

enum class WindowType { hamming, hann, sqrt_hann };

// Periodic (DFT-even) windows, as scipy.signal.get_window and torch.*_window(periodic=True):
// hamming 0.54 - 0.46 cos(2 pi n / L), hann 0.5 - 0.5 cos(2 pi n / L), sqrt_hann its root.
Signal make_window(WindowType type, int length);

std::string to_string(WindowType type);
// Accepts "hamming", "hann", "sqrt_hann"; anything else is an Error listing those names.
WindowType parse_window(std::string_view name);

}  // namespace nmfbench
