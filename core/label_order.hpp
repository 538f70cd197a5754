#pragma once

#include <string>

namespace nmfbench {

// The order of label values in tables: values that start with numbers and share their unit
// ("-6dB", "-3dB", "0dB", "9dB") sort by number, the rest as strings, so an SNR breakdown
// reads from the lowest SNR up rather than "-3dB", "-6dB", "0dB".
bool label_less(const std::string& a, const std::string& b);

}  // namespace nmfbench
