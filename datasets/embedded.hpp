#pragma once

#include "datasets/dataset.hpp"

namespace nmfbench::data {

// 12 synthetic plucked-string licks of 5-10 s at 8 kHz; splits A (lick01-06), B (lick07-12).
std::unique_ptr<Dataset> make_embedded_guitar(const DatasetOptions& options);
// Synthetic higher+lower voice pairs; splits set1, set2 of `extra.pairs_per_set` (10) pairs.
std::unique_ptr<Dataset> make_embedded_speakers(const DatasetOptions& options);

}  // namespace nmfbench::data
