#include <algorithm>

#include "datasets/corpora.hpp"
#include "datasets/dataset.hpp"
#include "datasets/embedded.hpp"

namespace nmfbench::data {

const std::vector<DatasetRegistration>& dataset_loaders() {
  // One line per loader.
  static const std::vector<DatasetRegistration> loaders = {
      {"embedded-guitar",
       "stand-in: 12 synthetic plucked-string licks at 8 kHz, splits A and B (paper 000, SID1)",
       make_embedded_guitar},
      {"embedded-speakers",
       "stand-in: synthetic higher+lower voice pairs, 20 s training / 5 s test, splits set1 and "
       "set2 (paper 000, SID2)",
       make_embedded_speakers},
      {"embedded-speech-noise",
       "stand-in: synthetic talkers in babble, music, hum or clatter at -6..9 dB, splits train "
       "(36), dev and test (12 each) (papers 001, 003: CHiME2)",
       make_embedded_speech_noise},
      {"idmt-smt-guitar", "IDMT-SMT-GUITAR AR_Lick<n>_KN.wav, splits SID1-1 and SID1-2 (paper 000)",
       make_idmt_guitar},
      {"librispeech",
       "LibriSpeech female+male speaker pairs, splits set1 and set2 (paper 000, SID2)",
       make_librispeech},
      {"timit",
       "TIMIT female+male speaker pairs, 9 training sentences and 1 test sentence each (paper 002)",
       make_timit},
      {"folder",
       "any corpus described by a JSON or CSV manifest of source, training and noise files",
       make_folder},
      {"chime2",
       "CHiME2 track 2 isolated/ mixtures and scaled/ speech (left channel) at -6..9 dB, splits "
       "train, dev, test (papers 001, 003)",
       make_chime2},
  };
  return loaders;
}

std::unique_ptr<Dataset> make_dataset(const std::string& name, const DatasetOptions& options) {
  std::string known;
  for (const auto& loader : dataset_loaders()) {
    if (loader.name == name) return loader.make(options);
    known += (known.empty() ? "" : ", ") + loader.name;
  }
  throw Error("unknown dataset loader '" + name + "'; registered loaders: " + known);
}

JsonObject loader_options(const std::string& loader, const Json& extra,
                          const std::set<std::string>& known) {
  try {
    JsonObject options(extra, "spec.dataset.options");
    if (known.empty() && !extra.empty())
      json_fail(options.path(), extra, "{}: it takes no options");
    options.only(known);
    return options;
  } catch (const Error& e) {
    throw Error(loader + ": " + e.what());
  }
}

void throw_unknown_split(const std::string& dataset, const std::string& split,
                         const std::vector<std::string>& valid) {
  std::string list;
  for (const auto& s : valid) list += (list.empty() ? "" : ", ") + s;
  throw Error(dataset + ": unknown split '" + split + "'; expected one of " +
              (list.empty() ? "(none)" : list));
}

const std::vector<std::string>& non_empty(const std::vector<std::string>& ids,
                                          const std::string& dataset, const std::string& split,
                                          const std::string& where) {
  if (ids.empty())
    throw Error(dataset + ": split '" + split + "' under '" + where + "' has no examples");
  return ids;
}

}  // namespace nmfbench::data
