#include "datasets/labels.hpp"

namespace nmfbench::data {

std::string snr_label(int db) {
  return std::to_string(db) + "dB";
}

}  // namespace nmfbench::data
