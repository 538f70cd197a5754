#pragma once

#include "datasets/dataset.hpp"

namespace nmfbench::data {

// 12 synthetic plucked-string licks of 5-10 s at 8 kHz; splits A (lick01-06), B (lick07-12).
std::unique_ptr<Dataset> make_embedded_guitar(const DatasetOptions& options);
// Synthetic higher+lower voice pairs; splits set1, set2 and val of `extra.pairs_per_set` (10)
// pairs, `extra.train_seconds` (20) of training audio per speaker.
std::unique_ptr<Dataset> make_embedded_speakers(const DatasetOptions& options);

// The CHiME2 stand-in: synthetic talkers in babble, music-like tones, an appliance hum or
// clatter at -6 to 9 dB, in chime2's shape; splits train (36 examples of 2.5-3.5 s), dev and
// test (12 each) with disjoint talkers and noises. extra: snrs, train_fraction.
std::unique_ptr<Dataset> make_embedded_speech_noise(const DatasetOptions& options);

}  // namespace nmfbench::data
