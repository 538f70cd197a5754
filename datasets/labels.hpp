#pragma once

#include <string>

#include "core/label_order.hpp"

namespace nmfbench::data {

// An input SNR as an example label: "-6dB", "0dB", "9dB"; tables order such labels with
// label_less (core/label_order.hpp).
std::string snr_label(int db);

}  // namespace nmfbench::data
