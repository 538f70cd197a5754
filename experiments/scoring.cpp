#include "experiments/scoring.hpp"

#include <algorithm>

#include "core/bss_eval.hpp"
#include "core/metrics.hpp"
#include "core/stoi.hpp"

namespace nmfbench::exp {
CellScorer::CellScorer(const data::Mixture& mix, std::vector<data::Role> roles,
                       const ScoringSpec& scoring)
    : mix_(mix),
      bss_eval_at_(scoring.bss_eval_at),
      stoi_(scoring.stoi),
      sample_rate_(scoring.sample_rate) {
  if (roles.size() > mix.sources.size())
    throw Error("the example has " + std::to_string(roles.size()) + " sources, its mixture " +
                std::to_string(mix.sources.size()));
  roles.resize(mix.sources.size(), data::Role::interference);
  for (const data::Role role : roles) {
    scored_.push_back(scoring.roles.empty() || std::find(scoring.roles.begin(), scoring.roles.end(),
                                                         role) != scoring.roles.end());
  }
  for (const auto& source : mix.sources) input_si_sdr_.push_back(si_sdr(source, mix.mixture));
}

bool CellScorer::bss_eval_at(int iteration) const {
  return std::find(bss_eval_at_.begin(), bss_eval_at_.end(), iteration) != bss_eval_at_.end();
}

std::vector<Signal> CellScorer::bss_references(std::size_t count) const {
  std::vector<Signal> references(mix_.sources.begin(), mix_.sources.begin() + count);
  if (count == mix_.sources.size()) return references;
  Signal rest = mix_.sources[count];
  for (std::size_t l = count + 1; l < mix_.sources.size(); ++l) rest += mix_.sources[l];
  references.push_back(rest);
  return references;
}

std::vector<Signal> CellScorer::bss_estimates(const std::vector<Signal>& estimates) const {
  std::vector<Signal> completed = estimates;
  if (estimates.size() == mix_.sources.size()) return completed;
  Signal rest = mix_.mixture;
  for (const auto& e : estimates) rest -= e;
  completed.push_back(rest);
  return completed;
}

Json CellScorer::score(int iteration, const std::vector<Signal>& estimates, bool bss_eval) const {
  const std::size_t count = estimates.size();
  if (count == 0 || count > mix_.sources.size())
    throw Error("the method estimated " + std::to_string(count) + " sources; the mixture has " +
                std::to_string(mix_.sources.size()));
  if (std::none_of(scored_.begin(), scored_.begin() + count, [](bool s) { return s; }))
    throw Error("spec.scoring.sources: none of the estimated sources has a role it names");
  Json point = {{"iteration", iteration}};
  std::map<std::string, std::vector<Real>> values;
  for (std::size_t l = 0; l < count; ++l) {
    const Real value = si_sdr(mix_.sources[l], estimates[l]);
    values["si_sdr"].push_back(value);
    values["si_sdr_imp"].push_back(value - input_si_sdr_[l]);
  }
  if (bss_eval) {
    const std::vector<Signal> references = bss_references(count);
    if (input_sdr_.empty()) {
      const BssEvalResult input =
          bss_eval_sources(references, std::vector<Signal>(references.size(), mix_.mixture), false);
      input_sdr_ = input.sdr;
    }
    const BssEvalResult r = bss_eval_sources(references, bss_estimates(estimates), false);
    for (std::size_t l = 0; l < count; ++l) {
      values["sdr"].push_back(r.sdr[l]);
      values["sir"].push_back(r.sir[l]);
      values["sar"].push_back(r.sar[l]);
      values["sdr_imp"].push_back(r.sdr[l] - input_sdr_[l]);
    }
    for (std::size_t l = 0; l < count && stoi_; ++l) {
      values["stoi"].push_back(stoi(mix_.sources[l], estimates[l], sample_rate_, false));
      values["estoi"].push_back(stoi(mix_.sources[l], estimates[l], sample_rate_, true));
    }
  }
  Json scored = Json::object();
  for (const auto& metric : table_metrics()) {
    const auto it = values.find(metric);
    if (it == values.end()) continue;
    point[metric] = it->second;
    Real sum = 0;
    int n = 0;
    for (std::size_t l = 0; l < count; ++l) {
      if (!scored_[l]) continue;
      sum += it->second[l];
      ++n;
    }
    scored[metric] = sum / n;
  }
  point["mean_si_sdr_imp"] = scored["si_sdr_imp"];
  point["scored"] = scored;
  return point;
}

}  // namespace nmfbench::exp
