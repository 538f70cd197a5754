// The CHiME2 track 2 corpus (WSJ0 utterances in a reverberant, noisy living room): its noisy
// binaural mixtures and the clean reverberated speech in them, sample-aligned, so the noise
// is their difference.
#include <algorithm>

#include "core/resample.hpp"
#include "datasets/corpora.hpp"
#include "datasets/files.hpp"
#include "datasets/memo.hpp"
#include "datasets/speech_in_noise.hpp"

namespace nmfbench::data {
namespace fs = std::filesystem;
namespace {

const std::string kName = "chime2";
const std::string kLayout =
    "<root>/{isolated,scaled}/{si_tr_s,si_dt_05,si_et_05}/{m6dB,m3dB,0dB,3dB,6dB,9dB}/"
    "wsj0/<set>/<speaker>/<utt>.wav";

struct Split {
  const char* name;
  const char* set;  // the official folder
};
constexpr std::array<Split, 3> kSplits = {
    {{"train", "si_tr_s"}, {"dev", "si_dt_05"}, {"test", "si_et_05"}}};

struct Listing {
  std::vector<ListedExample> examples;       // those the options keep
  std::map<std::string, std::size_t> index;  // id -> place in examples
  std::map<std::string, fs::path> relative;  // id -> path under isolated/ (and scaled/)
};

class Chime2 final : public Dataset {
 public:
  explicit Chime2(const DatasetOptions& options)
      : root_(options.root),
        rate_(options.sample_rate),
        options_(speech_noise_options(options.extra, kName)) {
    require_directory(root_, kName, "the CHiME2 track 2 folder " + kLayout);
    for (const char* kind : {"isolated", "scaled"}) require_folder(kind);
  }
  std::vector<std::string> splits() const override { return {"train", "dev", "test"}; }

  std::vector<std::string> example_ids(const std::string& split) const override {
    std::vector<std::string> ids;
    for (const auto& e : listing(split).examples) ids.push_back(e.id);
    return non_empty(ids, kName, split, root_.string());
  }

  Example load(const std::string& split, const std::string& id) const override {
    const Listing& list = listing(split);
    const auto at = list.index.find(id);
    if (at == list.index.end())
      throw Error(kName + ": no example '" + id + "' in split " + split + " under '" +
                  root_.string() + "'");
    const fs::path& relative = list.relative.at(id);
    const auto audio = audio_.get(split + "/" + id, [&] { return read_pair(split, relative); });
    const std::string speaker = relative.parent_path().filename().string();
    return speech_in_noise_example(list.examples[at->second], split, rate_, *audio,
                                   {{"speaker", speaker}}, {}, {});
  }

 private:
  static const Split& split_of(const std::string& split) {
    for (const auto& s : kSplits) {
      if (s.name == split) return s;
    }
    throw_unknown_split(kName, split, {"train", "dev", "test"});
  }

  fs::path require_folder(const fs::path& relative) const {
    const fs::path dir = root_ / relative;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      throw Error(kName + ": folder '" + relative.string() + "' is missing under root '" +
                  root_.string() + "'; expected " + kLayout);
    }
    return dir;
  }

  // Every .wav under isolated/<set>/<snr>/ of the chosen SNRs, each with its clean
  // counterpart under scaled/; listed once per split and shared by every call.
  const Listing& listing(const std::string& split) const {
    const Split& s = split_of(split);
    return *listings_.get(split, [&] {
      std::vector<ListedExample> all;
      std::map<std::string, fs::path> relative;
      for (const int snr : options_.snrs) {
        const fs::path folder = fs::path(s.set) / snr_folder(snr);
        const fs::path dir = require_folder("isolated" / folder);
        std::vector<fs::path> files;
        for (const auto& entry : fs::recursive_directory_iterator(dir)) {
          if (entry.is_regular_file() && entry.path().extension() == ".wav")
            files.push_back(folder / entry.path().lexically_relative(dir));
        }
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
          std::error_code ec;
          if (!fs::is_regular_file(root_ / "scaled" / file, ec)) {
            throw Error(kName + ": 'isolated/" + file.string() + "' has no clean speech 'scaled/" +
                        file.string() + "' under root '" + root_.string() + "'");
          }
          const std::string utterance =
              file.parent_path().filename().string() + "/" + file.stem().string();
          const std::string id = snr_folder(snr) + "/" + utterance;
          if (!relative.emplace(id, file).second) {
            throw Error(kName + ": two files under '" + (root_ / "isolated" / folder).string() +
                        "' give the example '" + id + "' (speaker folder/file name)");
          }
          all.push_back({id, snr, utterance});
        }
      }
      Listing out{select_examples(std::move(all), options_, split, kName), {}, std::move(relative)};
      for (std::size_t i = 0; i < out.examples.size(); ++i) out.index[out.examples[i].id] = i;
      return out;
    });
  }

  SpeechAndMixture read_pair(const std::string& split, const fs::path& relative) const {
    const fs::path noisy = root_ / "isolated" / relative, clean = root_ / "scaled" / relative;
    // The left channel: the binaural files' channels differ, and averaging them would mix
    // two different room responses.
    const Audio mixture = read_audio(noisy, {0}), speech = read_audio(clean, {0});
    if (mixture.sample_rate != speech.sample_rate ||
        mixture.samples.size() != speech.samples.size()) {
      throw Error(kName + " (" + split + "): '" + noisy.string() + "' has " +
                  std::to_string(mixture.samples.size()) + " samples at " +
                  std::to_string(mixture.sample_rate) + " Hz but '" + clean.string() + "' has " +
                  std::to_string(speech.samples.size()) + " at " +
                  std::to_string(speech.sample_rate) +
                  " Hz; expected sample-aligned files, since the noise is their difference");
    }
    return {resample(speech, rate_).samples, resample(mixture, rate_).samples};
  }

  fs::path root_;
  int rate_;
  SpeechNoiseOptions options_;
  mutable Memo<std::string, Listing> listings_;
  mutable Memo<std::string, SpeechAndMixture> audio_;
};

}  // namespace

std::unique_ptr<Dataset> make_chime2(const DatasetOptions& options) {
  return std::make_unique<Chime2>(options);
}

}  // namespace nmfbench::data
