// The embedded default data: stand-ins generated from a fixed seed, so that every experiment
// runs on a fresh machine with no download. Results on it are labelled as stand-in data.
#include <cstdio>

#include "core/json_field.hpp"
#include "core/resample.hpp"
#include "datasets/dataset.hpp"
#include "datasets/embedded.hpp"
#include "datasets/memo.hpp"
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

// Paper 000's guitar denoising data stand-in: 12 licks, A = 1-6 (like SID1-1), B = 7-12.
class EmbeddedGuitar final : public Dataset {
 public:
  explicit EmbeddedGuitar(const DatasetOptions& options) : rate_(options.sample_rate) {
    loader_options("embedded-guitar", options.extra, {});
  }
  std::vector<std::string> splits() const override { return {"A", "B"}; }
  bool stand_in() const override { return true; }

  std::vector<std::string> example_ids(const std::string& split) const override {
    const int first = first_of(split);
    std::vector<std::string> ids;
    for (int n = first; n < first + 6; ++n) ids.push_back(numbered("lick", n));
    return ids;
  }

  Example load(const std::string& split, const std::string& id) const override {
    const int n = parse_number(id, "lick", 12, "embedded-guitar");
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
            {},    {}};
  }

 private:
  static int first_of(const std::string& split) {
    if (split == "A") return 1;
    if (split == "B") return 7;
    throw_unknown_split("embedded-guitar", split, {"A", "B"});
  }
  int rate_;
  mutable Memo<int, Signal> licks_;
};

// Paper 000's speaker separation data stand-in: synthetic talkers with a higher and a lower
// voice, paired higher+lower into two disjoint sets of pairs (like SID2-1 and SID2-2), each
// speaker with 20 s of training and 5 s of test audio.
class EmbeddedSpeakers final : public Dataset {
 public:
  explicit EmbeddedSpeakers(const DatasetOptions& options)
      : rate_(options.sample_rate),
        pairs_(
            static_cast<int>(loader_options("embedded-speakers", options.extra, {"pairs_per_set"})
                                 .integer("pairs_per_set", 1, 50, 10))) {}
  std::vector<std::string> splits() const override { return {"set1", "set2"}; }
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
    Example e{id, split, rate_, {}, {}, {}};
    for (const bool higher : {true, false}) {
      const std::string name = numbered(higher ? "high" : "low", speaker);
      const auto audio = speakers_.get(name, [name, higher] {
        RandomStream rng(kCorpusSeed, "embedded-speakers/" + name);
        Voice voice;
        if (higher)
          voice = {rng.uniform(170, 200), rng.uniform(240, 290), rng.uniform(1.12, 1.22)};
        else
          voice = {rng.uniform(85, 100), rng.uniform(125, 150), rng.uniform(0.95, 1.03)};
        RandomStream test_rng = rng.derive("test");
        return std::pair{synthetic_speech(rng, voice, kNativeRate, 20),
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
    throw_unknown_split("embedded-speakers", split, {"set1", "set2"});
  }
  int rate_;
  int pairs_;
  mutable Memo<std::string, std::pair<Signal, Signal>> speakers_;
};

}  // namespace

std::unique_ptr<Dataset> make_embedded_guitar(const DatasetOptions& options) {
  return std::make_unique<EmbeddedGuitar>(options);
}
std::unique_ptr<Dataset> make_embedded_speakers(const DatasetOptions& options) {
  return std::make_unique<EmbeddedSpeakers>(options);
}

}  // namespace nmfbench::data
