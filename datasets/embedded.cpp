// The embedded default data: stand-ins generated from a fixed seed, so that every experiment
// runs on a fresh machine with no download. Results on it are labelled as stand-in data.
#include <cstdio>

#include "core/json_field.hpp"
#include "core/resample.hpp"
#include "datasets/dataset.hpp"
#include "datasets/embedded.hpp"
#include "datasets/memo.hpp"
#include "datasets/mixing.hpp"
#include "datasets/speech_in_noise.hpp"
#include "datasets/synthesis.hpp"

namespace nmfbench::data {
namespace {

// The embedded data never changes with the experiment's seed: it is a fixed corpus.
constexpr std::uint64_t kCorpusSeed = 20240501;
constexpr int kNativeRate = 8000;

std::string numbered(const char* prefix, int n) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%s%02d", prefix, n);
  return buffer;
}

Signal at_rate(const Signal& native, int rate) {
  return resample({native, kNativeRate}, rate).samples;
}

int parse_number(const std::string& id, const std::string& prefix, int count,
                 const std::string& dataset) {
  if (id.rfind(prefix, 0) == 0) {
    try {
      const int n = std::stoi(id.substr(prefix.size()));
      if (n >= 1 && n <= count && numbered(prefix.c_str(), n) == id) return n;
    } catch (const std::exception&) {
    }
  }
  throw Error(dataset + ": unknown example '" + id + "'; expected " + numbered(prefix.c_str(), 1) +
              " .. " + numbered(prefix.c_str(), count));
}

// Paper 000's guitar denoising data stand-in: 12 licks, A = 1-6 (like SID1-1), B = 7-12, and
// licks 13-18 as a validation split for early stopping, which the corpus lacks.
class EmbeddedGuitar final : public Dataset {
 public:
  explicit EmbeddedGuitar(const DatasetOptions& options) : rate_(options.sample_rate) {
    loader_options("embedded-guitar", options.extra, {});
  }
  std::vector<std::string> splits() const override { return {"A", "B", "val"}; }
  bool stand_in() const override { return true; }

  std::vector<std::string> example_ids(const std::string& split) const override {
    const int first = first_of(split);
    std::vector<std::string> ids;
    for (int n = first; n < first + 6; ++n) ids.push_back(numbered("lick", n));
    return ids;
  }

  Example load(const std::string& split, const std::string& id) const override {
    const int n = parse_number(id, "lick", 18, "embedded-guitar");
    if (n < first_of(split) || n >= first_of(split) + 6) {
      throw Error("embedded-guitar: example '" + id + "' is not in split '" + split + "'");
    }
    const auto native = licks_.get(n, [n] {
      RandomStream rng(kCorpusSeed, numbered("embedded-guitar/lick", n));
      const Real seconds = rng.uniform(5, 10);
      return plucked_lick(rng, kNativeRate, seconds);
    });
    return {id,    split,
            rate_, {{id, at_rate(*native, rate_), {{"instrument", "synthetic plucked string"}}}},
            {},    {},
            {},    {}};
  }

 private:
  static int first_of(const std::string& split) {
    if (split == "A") return 1;
    if (split == "B") return 7;
    if (split == "val") return 13;
    throw_unknown_split("embedded-guitar", split, {"A", "B", "val"});
  }
  int rate_;
  mutable Memo<int, Signal> licks_;
};

// Paper 000's speaker separation data stand-in: synthetic talkers with a higher and a lower
// voice, paired higher+lower into two disjoint sets of pairs (like SID2-1 and SID2-2), each
// speaker with 20 s (`train_seconds`, as librispeech's) of training and 5 s of test audio; a
// third set of pairs is a validation split for early stopping.
class EmbeddedSpeakers final : public Dataset {
 public:
  explicit EmbeddedSpeakers(const DatasetOptions& options) : rate_(options.sample_rate) {
    const JsonObject extra =
        loader_options("embedded-speakers", options.extra, {"pairs_per_set", "train_seconds"});
    pairs_ = static_cast<int>(extra.integer("pairs_per_set", 1, 50, 10));
    train_seconds_ = extra.number("train_seconds", 0.5, 20, 20.0);
  }
  std::vector<std::string> splits() const override { return {"set1", "set2", "val"}; }
  bool stand_in() const override { return true; }

  std::vector<std::string> example_ids(const std::string& split) const override {
    set_index(split);
    std::vector<std::string> ids;
    for (int n = 1; n <= pairs_; ++n) ids.push_back(numbered("pair", n));
    return ids;
  }

  Example load(const std::string& split, const std::string& id) const override {
    const int pair = parse_number(id, "pair", pairs_, "embedded-speakers");
    const int speaker = set_index(split) * pairs_ + pair;  // 1-based within each voice
    Example e{id, split, rate_, {}, {}, {}, {}, {}};
    for (const bool higher : {true, false}) {
      const std::string name = numbered(higher ? "high" : "low", speaker);
      const auto audio = speakers_.get(name, [this, name, higher] {
        RandomStream rng(kCorpusSeed, "embedded-speakers/" + name);
        const Voice voice = random_voice(rng, higher);
        RandomStream test_rng = rng.derive("test");
        return std::pair{synthetic_speech(rng, voice, kNativeRate, train_seconds_),
                         synthetic_speech(test_rng, voice, kNativeRate, 5)};
      });
      e.sources.push_back({name,
                           at_rate(audio->second, rate_),
                           {{"speaker", name}, {"voice", higher ? "higher" : "lower"}}});
      e.training.push_back(at_rate(audio->first, rate_));
    }
    return e;
  }

 private:
  int set_index(const std::string& split) const {
    if (split == "set1") return 0;
    if (split == "set2") return 1;
    if (split == "val") return 2;
    throw_unknown_split("embedded-speakers", split, {"set1", "set2", "val"});
  }
  int rate_;
  int pairs_;
  Real train_seconds_;
  mutable Memo<std::string, std::pair<Signal, Signal>> speakers_;
};

// The CHiME2 stand-in (papers 001 and 003): synthetic talkers in non-stationary synthetic
// noise at CHiME2's six input SNRs, in chime2's shape: a given mixture, speech and noise as
// sources, the SNR as a label. Each split has its own talkers and its own babblers, and
// every example a noise segment of its own, so the splits share no talker and no noise.
// Example i of a split is the (i mod k)+1-th utterance of talker i/k (k examples per
// talker), at SNR kInputSnrs[i mod 6] in noise kNoises[(i mod 6 + i/6) mod 4]: every
// talker of train is heard at all six SNRs and every SNR in at least two noises.
struct SpeechNoiseSplit {
  const char* name;
  int examples, first_talker, talkers, first_babbler;
};
constexpr std::array<SpeechNoiseSplit, 3> kSpeechNoiseSplits = {
    {{"train", 36, 1, 6, 1}, {"dev", 12, 7, 4, 5}, {"test", 12, 11, 4, 9}}};
constexpr int kBabblersPerSplit = 4;
constexpr std::array<const char*, 4> kNoises = {"babble", "music", "hum", "clatter"};

struct PlannedExample {
  ListedExample listed;
  int talker = 0, first_babbler = 0;
  std::size_t noise = 0;
};

class EmbeddedSpeechNoise final : public Dataset {
 public:
  explicit EmbeddedSpeechNoise(const DatasetOptions& options)
      : rate_(options.sample_rate), options_(speech_noise_options(options.extra, kName)) {
    for (const auto& split : kSpeechNoiseSplits) {
      std::vector<ListedExample> all;
      const int per_talker = split.examples / split.talkers;
      for (int i = 0; i < split.examples; ++i) {
        const int talker = split.first_talker + i / per_talker;
        const std::string utterance =
            numbered("talker", talker) + "/u" + std::to_string(i % per_talker + 1);
        const int snr = kInputSnrs[i % 6];
        all.push_back({snr_folder(snr) + "/" + utterance, snr, utterance});
        planned_[all.back().id] = {all.back(), talker, split.first_babbler,
                                   static_cast<std::size_t>(i % 6 + i / 6) % kNoises.size()};
      }
      for (auto& e : select_examples(std::move(all), options_, split.name, kName))
        ids_[split.name].push_back(e.id);
    }
  }
  std::vector<std::string> splits() const override { return {"train", "dev", "test"}; }
  bool stand_in() const override { return true; }

  std::vector<std::string> example_ids(const std::string& split) const override {
    return non_empty(ids_of(split), kName, split, "the embedded data");
  }

  Example load(const std::string& split, const std::string& id) const override {
    const auto& ids = ids_of(split);
    if (std::find(ids.begin(), ids.end(), id) == ids.end())
      throw Error(kName + ": no example '" + id + "' in split " + split);
    const PlannedExample& plan = planned_.at(id);
    const auto audio = audio_.get(id, [&] { return generate(plan); });
    const std::string talker = numbered("talker", plan.talker), noise = kNoises[plan.noise];
    return speech_in_noise_example(plan.listed, split, rate_, *audio,
                                   {{"speaker", talker}, {"voice", voice_kind(plan.talker)}},
                                   {{"noise", noise}}, {{"noise", noise}});
  }

 private:
  inline static const std::string kName = "embedded-speech-noise";

  const std::vector<std::string>& ids_of(const std::string& split) const {
    const auto it = ids_.find(split);
    if (it == ids_.end()) throw_unknown_split(kName, split, splits());
    return it->second;
  }
  // Odd-numbered talkers have the higher voices.
  static const char* voice_kind(int n) { return n % 2 ? "higher" : "lower"; }
  static Voice voice(const char* prefix, int n) {
    RandomStream rng(kCorpusSeed, kName + "/" + numbered(prefix, n));
    return random_voice(rng, n % 2 == 1);
  }

  SpeechAndMixture generate(const PlannedExample& plan) const {
    RandomStream rng(kCorpusSeed, kName + "/" + plan.listed.id);
    const Real seconds = rng.uniform(2.5, 3.5);
    RandomStream speech_rng = rng.derive("speech"), noise_rng = rng.derive("noise");
    const Signal speech =
        synthetic_speech(speech_rng, voice("talker", plan.talker), kNativeRate, seconds);
    Signal noise;
    switch (plan.noise) {
      case 0: {
        std::vector<Voice> babblers;
        for (int b = 0; b < kBabblersPerSplit; ++b)
          babblers.push_back(voice("babbler", plan.first_babbler + b));
        noise = babble_noise(noise_rng, babblers, kNativeRate, seconds);
        break;
      }
      case 1:
        noise = music_noise(noise_rng, kNativeRate, seconds);
        break;
      case 2:
        noise = hum_noise(noise_rng, kNativeRate, seconds);
        break;
      default:
        noise = clatter_noise(noise_rng, kNativeRate, seconds);
    }
    const Mixture mixed = mix_at_snr(speech, noise, plan.listed.snr);
    // Both scaled to a mixture peak of 0.5, which keeps the SNR.
    const Real scale = 0.5 / mixed.mixture.abs().maxCoeff();
    return {at_rate(speech * scale, rate_), at_rate(mixed.mixture * scale, rate_)};
  }

  int rate_;
  SpeechNoiseOptions options_;
  std::map<std::string, PlannedExample> planned_;  // every example of every split, by id
  std::map<std::string, std::vector<std::string>> ids_;
  mutable Memo<std::string, SpeechAndMixture> audio_;
};

}  // namespace

std::unique_ptr<Dataset> make_embedded_speech_noise(const DatasetOptions& options) {
  return std::make_unique<EmbeddedSpeechNoise>(options);
}
std::unique_ptr<Dataset> make_embedded_guitar(const DatasetOptions& options) {
  return std::make_unique<EmbeddedGuitar>(options);
}
std::unique_ptr<Dataset> make_embedded_speakers(const DatasetOptions& options) {
  return std::make_unique<EmbeddedSpeakers>(options);
}

}  // namespace nmfbench::data
