#include "datasets/speech_in_noise.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

#include "core/hash.hpp"
#include "core/json_field.hpp"
#include "datasets/dataset.hpp"
#include "datasets/labels.hpp"

namespace nmfbench::data {

std::string snr_folder(int db) {
  std::string name = db < 0 ? "m" : "";
  return name.append(std::to_string(std::abs(db))).append("dB");
}

SpeechNoiseOptions speech_noise_options(const Json& extra, const std::string& loader) {
  const JsonObject options = loader_options(loader, extra, {"snrs", "train_fraction"});
  SpeechNoiseOptions out;
  if (options.has("train_fraction")) {
    const Json& fraction = options.get("train_fraction");
    if (!fraction.is_number()) json_fail(options.at("train_fraction"), fraction, "a number");
    out.train_fraction = fraction.get<Real>();
    if (!(out.train_fraction > 0 && out.train_fraction <= 1))
      json_fail(options.at("train_fraction"), fraction, "a number in (0, 1]");
  }
  if (!options.has("snrs")) return {{kInputSnrs.begin(), kInputSnrs.end()}, out.train_fraction};
  const Json& snrs = options.get("snrs");
  const std::string expected = "a non-empty list of SNRs in dB from -6, -3, 0, 3, 6, 9";
  if (!snrs.is_array() || snrs.empty()) json_fail(options.at("snrs"), snrs, expected);
  for (const int db : kInputSnrs) {
    const bool chosen = std::any_of(snrs.begin(), snrs.end(), [db](const Json& v) {
      return v.is_number() && v.get<Real>() == db;
    });
    if (chosen) out.snrs.push_back(db);
  }
  // Every entry must have matched one of the six.
  if (out.snrs.size() != std::set<Json>(snrs.begin(), snrs.end()).size())
    json_fail(options.at("snrs"), snrs, expected);
  return out;
}

std::vector<ListedExample> select_examples(std::vector<ListedExample> listed,
                                           const SpeechNoiseOptions& options,
                                           const std::string& split, const std::string& loader) {
  std::erase_if(listed, [&](const ListedExample& e) {
    return std::find(options.snrs.begin(), options.snrs.end(), e.snr) == options.snrs.end();
  });
  if (split != "train" || options.train_fraction == 1) return listed;
  std::vector<std::tuple<std::uint64_t, std::string>> ranked;
  for (const auto& e : listed) {
    const std::string key = loader + "/" + e.utterance;
    ranked.emplace_back(fnv1a(key.data(), key.size()), e.utterance);
  }
  std::sort(ranked.begin(), ranked.end());
  ranked.erase(std::unique(ranked.begin(), ranked.end()), ranked.end());
  const auto keep = std::max<std::size_t>(
      1, static_cast<std::size_t>(std::lround(options.train_fraction * ranked.size())));
  std::set<std::string> kept;
  for (std::size_t i = 0; i < keep && i < ranked.size(); ++i) kept.insert(std::get<1>(ranked[i]));
  std::erase_if(listed, [&](const ListedExample& e) { return !kept.count(e.utterance); });
  return listed;
}

Example speech_in_noise_example(const ListedExample& listed, const std::string& split,
                                int sample_rate, const SpeechAndMixture& audio,
                                std::map<std::string, std::string> speech_labels,
                                std::map<std::string, std::string> noise_labels,
                                std::map<std::string, std::string> labels) {
  labels["snr"] = snr_label(listed.snr);
  Example e{listed.id, split, sample_rate, {}, {}, {}, audio.mixture, std::move(labels)};
  e.sources.push_back({"speech", audio.speech, std::move(speech_labels), Role::target});
  e.sources.push_back(
      {"noise", audio.mixture - audio.speech, std::move(noise_labels), Role::interference});
  return e;
}

}  // namespace nmfbench::data
