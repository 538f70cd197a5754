#pragma once

// What the speech-in-noise corpora share (chime2 and its embedded stand-in): the input SNRs,
// the options that restrict them, and examples that carry their own mixture.
#include <array>

#include "datasets/dataset.hpp"

namespace nmfbench::data {

// CHiME2's input SNRs in dB, lowest first.
inline constexpr std::array<int, 6> kInputSnrs = {-6, -3, 0, 3, 6, 9};
// CHiME2's folder name of an input SNR: "m6dB", "m3dB", "0dB", "3dB", "6dB", "9dB".
std::string snr_folder(int db);

// extra.snrs (a list of input SNRs in dB; all six by default) and extra.train_fraction (the
// share of the training split's utterances kept, in (0, 1]; 1 by default; papers 001 and 003
// train on 0.1). Unknown keys and bad values are errors naming spec.dataset.options.<key>.
struct SpeechNoiseOptions {
  std::vector<int> snrs;  // in kInputSnrs order
  Real train_fraction = 1;
};
SpeechNoiseOptions speech_noise_options(const Json& extra, const std::string& loader);

// An example as listed, before its audio is loaded. `utterance` names the clean speech, the
// same at every SNR it is mixed at.
struct ListedExample {
  std::string id;
  int snr = 0;
  std::string utterance;
};

// The examples of `split` the options keep, in listing order: those at the chosen SNRs and, in
// the split "train", those whose utterance is in the fixed train_fraction subset. The subset
// is the round(fraction * n) utterances (at least one) with the smallest hash of
// loader/utterance, so it is the same on every run and machine, whatever order the files were
// listed in, and an utterance is kept or dropped at all of its SNRs together.
std::vector<ListedExample> select_examples(std::vector<ListedExample> listed,
                                           const SpeechNoiseOptions& options,
                                           const std::string& split, const std::string& loader);

// The audio of an example, sample-aligned at the example's rate.
struct SpeechAndMixture {
  Signal speech, mixture;
};

// An example with its given mixture: sources speech (Role::target) and noise
// (Role::interference) = mixture - speech, labels {"snr": "-6dB", ...}.
Example speech_in_noise_example(const ListedExample& listed, const std::string& split,
                                int sample_rate, const SpeechAndMixture& audio,
                                std::map<std::string, std::string> speech_labels,
                                std::map<std::string, std::string> noise_labels,
                                std::map<std::string, std::string> labels);

}  // namespace nmfbench::data
