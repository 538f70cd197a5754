#include "methods/drnmf/dictionaries.hpp"

#include <future>
#include <map>
#include <mutex>

#include "core/hash.hpp"
#include "core/optim/parameters.hpp"
#include "methods/drnmf/sources.hpp"

namespace nmfbench::drnmf {
namespace {

Array concatenated(const std::vector<Array>& parts) {
  Eigen::Index frames = 0;
  for (const Array& p : parts) frames += p.cols();
  Array out(parts.at(0).rows(), frames);
  Eigen::Index at = 0;
  for (const Array& p : parts) {
    out.middleCols(at, p.cols()) = p;
    at += p.cols();
  }
  return out;
}

// Steps 1 and 2 from the streams of `rng`.
Array learn(const Array& speech, const Array& noisy, const DictionaryOptions& o, RandomStream rng,
            const std::function<void(const std::string&)>& log) {
  const Eigen::Index bins = speech.rows(), n = o.speech + o.noise;
  SparseNmfOptions step = o.nmf;
  step.first_updated = 0;
  const SparseNmfResult one = sparse_nmf(speech, rng.uniform_array(bins, o.speech),
                                         rng.uniform_array(o.speech, speech.cols()), step);
  Array w0(bins, n);
  w0 << one.w, rng.uniform_array(bins, o.noise);
  step.first_updated = o.speech;
  const SparseNmfResult two = sparse_nmf(noisy, w0, rng.uniform_array(n, noisy.cols()), step);
  if (log)
    log("sparse NMF: speech bases " + std::to_string(one.cost.size()) + " iterations, cost " +
        std::to_string(one.cost.back()) + "; noise bases " + std::to_string(two.cost.size()) +
        " iterations, cost " + std::to_string(two.cost.back()));
  return two.w;
}

std::uint64_t key_of(const Array& speech, const Array& noisy, const DictionaryOptions& o,
                     const RandomStream& rng) {
  const std::uint64_t parts[] = {
      fnv1a(speech.data(), sizeof(Real) * static_cast<std::size_t>(speech.size())),
      fnv1a(noisy.data(), sizeof(Real) * static_cast<std::size_t>(noisy.size())),
      static_cast<std::uint64_t>(o.speech),
      static_cast<std::uint64_t>(o.noise),
      fnv1a(&o.nmf.sparsity, sizeof(Real)),
      static_cast<std::uint64_t>(o.nmf.max_iterations),
      fnv1a(&o.nmf.conv_eps, sizeof(Real)),
      rng.derive("key").next_u64(),
      static_cast<std::uint64_t>(speech.rows())};
  return fnv1a(parts, sizeof(parts));
}

}  // namespace

Magnitudes split_magnitudes(const TrainingSet& set, RandomStream& rng) {
  Magnitudes out;
  for (std::size_t i = 0; i < set.size; ++i) {
    MagnitudePair pair = item_magnitudes(set, {i, rng.derive("example " + std::to_string(i))});
    out.mixture.push_back(std::move(pair.mixture));
    out.speech.push_back(std::move(pair.speech));
  }
  return out;
}

Array learn_dictionaries(const Magnitudes& data, const DictionaryOptions& o,
                         const RandomStream& rng,
                         const std::function<void(const std::string&)>& log) {
  if (data.speech.empty()) throw Error("DR-NMF dictionaries: the training split is empty");
  const Array speech = concatenated(data.speech), noisy = concatenated(data.mixture);
  // Configurations that differ only in what uses the dictionaries (the inference algorithm,
  // the network) learn the same ones: a process learns them once, the first configuration
  // asking, the others waiting for it.
  static std::mutex mutex;
  static std::map<std::uint64_t, std::shared_future<Array>> learnt;
  const std::uint64_t key = key_of(speech, noisy, o, rng);
  std::promise<Array> promise;
  std::shared_future<Array> result;
  bool mine = false;
  {
    const std::lock_guard lock(mutex);
    auto it = learnt.find(key);
    if (it == learnt.end()) {
      it = learnt.emplace(key, promise.get_future().share()).first;
      mine = true;
    }
    result = it->second;
  }
  if (mine) {
    try {
      promise.set_value(learn(speech, noisy, o, rng.derive("dictionaries"), log));
    } catch (...) {
      promise.set_exception(std::current_exception());
      const std::lock_guard lock(mutex);
      learnt.erase(key);
    }
  }
  return result.get();
}

std::vector<ParameterSpec> dictionary_parameters() {
  return {integer_parameter("speech_components", 100, 1, 4096, "speech bases Ny"),
          integer_parameter("noise_components", 100, 1, 4096, "noise bases Nv"),
          real_parameter("sparsity", 1, 0, 1e6,
                         "L1 weight: mu of the sparse NMF and lambda of ISTA and DR-NMF"),
          integer_parameter("snmf_iterations", 1000, 1, 100000,
                            "most sparse NMF iterations learning each dictionary"),
          real_parameter("conv_eps", 1e-4, 0, 1,
                         "sparse NMF stops when the cost's relative change is below this")};
}

DictionaryOptions dictionary_options(const ParameterValues& p) {
  return {.speech = p.integer("speech_components"),
          .noise = p.integer("noise_components"),
          .nmf = {.sparsity = p.real("sparsity"),
                  .max_iterations = static_cast<int>(p.integer("snmf_iterations")),
                  .conv_eps = p.real("conv_eps")}};
}

Json dictionary_to_json(const Array& w, Eigen::Index speech) {
  ParameterSet p;
  p.add("W", w);
  return {{"speech_components", speech}, {"dictionary", p.to_json()}};
}

Array dictionary_from_json(const Json& state, const std::string& owner, Eigen::Index& speech) {
  if (!state.contains("dictionary") || !state.contains("speech_components") ||
      !state["speech_components"].is_number_integer())
    throw Error(owner + " state: expected 'dictionary' and an integer 'speech_components'");
  const ParameterSet p = ParameterSet::from_json(state["dictionary"]);
  if (!p.contains("W")) throw Error(owner + " state: expected 'dictionary.W'");
  speech = state["speech_components"].get<Eigen::Index>();
  const Array& w = p.value("W");
  if (speech < 1 || speech >= w.cols())
    throw Error(owner + " state: speech_components " + std::to_string(speech) + " of " +
                std::to_string(w.cols()) + " bases; expected between 1 and N - 1");
  return w;
}

}  // namespace nmfbench::drnmf
