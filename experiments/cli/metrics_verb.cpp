#include <iostream>

#include "core/audio_io.hpp"
#include "core/bss_eval.hpp"
#include "core/json.hpp"
#include "core/metrics.hpp"
#include "core/stoi.hpp"
#include "experiments/cli/verbs.hpp"

namespace nmfbench::cli {
namespace {

constexpr int kBssEvalTaps = 512;  // bss_eval_sources' default filter length, mir_eval's

std::vector<Signal> read_all(const std::vector<std::string>& paths, int& sample_rate,
                             std::string& rate_source) {
  std::vector<Signal> signals;
  for (const auto& path : paths) {
    Audio audio = read_audio(path);
    if (sample_rate == 0) {
      sample_rate = audio.sample_rate;
      rate_source = path;
    } else if (audio.sample_rate != sample_rate) {
      throw Error("audio file '" + path + "': sample rate " + std::to_string(audio.sample_rate) +
                  " Hz, expected " + std::to_string(sample_rate) + " Hz like '" + rate_source +
                  "'");
    }
    // Checked here, where the file is known: BSS Eval itself knows only a source index.
    if (audio.samples.size() < kBssEvalTaps) {
      throw Error("audio file '" + path + "': " + std::to_string(audio.samples.size()) +
                  " samples; BSS Eval needs at least " + std::to_string(kBssEvalTaps) +
                  " (the length of its distortion filter)");
    }
    if ((audio.samples == 0).all())
      throw Error("audio file '" + path + "' is silent; its scores are undefined");
    signals.push_back(std::move(audio.samples));
  }
  return signals;
}

int run(const Args& args) {
  const auto& ref_paths = args.get_list("ref");
  const auto& est_paths = args.get_list("est");
  if (ref_paths.size() != est_paths.size()) {
    throw UsageError{std::to_string(ref_paths.size()) + " --ref files but " +
                     std::to_string(est_paths.size()) + " --est files; expected as many of each"};
  }
  int sample_rate = 0;
  std::string rate_source;
  const auto refs = read_all(ref_paths, sample_rate, rate_source);
  const auto ests = read_all(est_paths, sample_rate, rate_source);
  const bool permute = !args.has("no-permutation");
  const BssEvalResult bss = bss_eval_sources(refs, ests, permute);

  Json out;
  out["sample_rate"] = sample_rate;
  out["permutation_search"] = permute;
  out["perm"] = bss.perm;
  Json sources = Json::array();
  for (std::size_t j = 0; j < refs.size(); ++j) {
    const auto e = static_cast<std::size_t>(bss.perm[j]);
    sources.push_back({{"reference", ref_paths[j]},
                       {"estimate", est_paths[e]},
                       {"si_sdr", finite_or_string(si_sdr(refs[j], ests[e]))},
                       {"sdr", finite_or_string(bss.sdr[j])},
                       {"sir", finite_or_string(bss.sir[j])},
                       {"sar", finite_or_string(bss.sar[j])},
                       {"stoi", stoi(refs[j], ests[e], sample_rate, false)},
                       {"estoi", stoi(refs[j], ests[e], sample_rate, true)}});
  }
  out["sources"] = sources;
  std::cout << out.dump(2) << "\n";
  return kExitOk;
}

}  // namespace

Verb metrics_verb() {
  return {"metrics", "--ref R1.wav [R2.wav ...] --est E1.wav [E2.wav ...] [--no-permutation]",
          "Score separated audio from any system: SI-SDR, BSS Eval v3 SDR/SIR/SAR, STOI and ESTOI "
          "as JSON (infinite values as \"inf\").",
          [](Args& a) {
            a.list("ref", "FILE", "reference (clean) sources, one file each")
                .list("est", "FILE", "estimated sources, as many as references")
                .flag("no-permutation", "score estimate i against reference i (no search)");
          },
          run};
}

}  // namespace nmfbench::cli
