#include "methods/deepnmf/dictionary.hpp"

#include <numeric>

#include "methods/deepnmf/analysis.hpp"
#include "methods/features.hpp"
#include "methods/nmf/beta_nmf.hpp"

namespace nmfbench::deepnmf {
namespace {

// `count` distinct indices of [0, n) in random order (a partial Fisher-Yates shuffle).
std::vector<Eigen::Index> draw_distinct(Eigen::Index n, Eigen::Index count, RandomStream& rng) {
  std::vector<Eigen::Index> all(n);
  std::iota(all.begin(), all.end(), 0);
  for (Eigen::Index i = 0; i < count; ++i)
    std::swap(all[i], all[i + static_cast<Eigen::Index>(rng.below(n - i))]);
  all.resize(count);
  return all;
}

Array columns(const Array& x, const std::vector<Eigen::Index>& which) {
  Array out(x.rows(), static_cast<Eigen::Index>(which.size()));
  for (std::size_t j = 0; j < which.size(); ++j) out.col(j) = x.col(which[j]);
  return out;
}

// The context frames of source l's references on the split whose current frame is not silent.
Array source_frames(const TrainingSet& data, std::size_t l, int context, RunContext& run) {
  std::vector<Array> parts;
  Eigen::Index total = 0;
  for (std::size_t i = 0; i < data.size; ++i) {
    RandomStream rng = run.rng.derive("item " + std::to_string(i));
    const TrainingItem item = data.draw(i, rng);
    const Array stacked =
        stack_context(magnitude_features(data.stft->forward(item.references.at(l)), 1), context);
    // Deep NMF's untied bases start from the current frame of each exemplar, so that frame
    // must not be silent.
    const Eigen::Index bins = data.stft->bins();
    std::vector<Eigen::Index> voiced;
    for (Eigen::Index t = 0; t < stacked.cols(); ++t)
      if (stacked.col(t).tail(bins).maxCoeff() > 0) voiced.push_back(t);
    parts.push_back(columns(stacked, voiced));
    total += parts.back().cols();
  }
  Array frames(parts.empty() ? 0 : parts.front().rows(), total);
  Eigen::Index t0 = 0;
  for (const Array& p : parts) {
    frames.middleCols(t0, p.cols()) = p;
    t0 += p.cols();
  }
  return frames;
}

}  // namespace

Array learn_context_bases(const TrainingSet& data, const DictionaryOptions& o, RunContext& run,
                          const std::string& owner) {
  if (data.size == 0) throw Error(owner + ": the training split has no examples");
  RandomStream first = run.rng.derive("item 0");
  const std::size_t sources = data.draw(0, first).references.size();
  const nmf::BetaNmf nmf({.beta = o.beta, .sparsity = o.sparsity, .normalized_bases = true});
  Array w_bar;
  for (std::size_t l = 0; l < sources; ++l) {
    RandomStream rng = run.rng.derive("dictionary " + std::to_string(l));
    Array v = source_frames(data, l, o.context, run);
    if (v.cols() < o.rank)
      throw Error(owner + ": source " + std::to_string(l) + " has " + std::to_string(v.cols()) +
                  " non-silent training frames, fewer than rank = " + std::to_string(o.rank));
    if (v.cols() > o.max_frames) v = columns(v, draw_distinct(v.cols(), o.max_frames, rng));
    Array w = columns(v, draw_distinct(v.cols(), o.rank, rng));
    Array h = initial_activations(normalize_columns(w).w, v);
    for (int it = 0; it < o.iterations && !run.cancelled(); ++it) nmf.iterate(v, w, h);
    if (run.log)
      run.log(owner + ": source " + std::to_string(l) + " bases, objective " +
              std::to_string(nmf.objective(v, w, h)));
    if (w_bar.size() == 0) w_bar.resize(w.rows(), 0);
    w_bar.conservativeResize(Eigen::NoChange, w_bar.cols() + w.cols());
    w_bar.rightCols(w.cols()) = w;
  }
  return w_bar;
}

DictionaryOptions dictionary_options(const ParameterValues& p) {
  return {.rank = static_cast<int>(p.integer("rank")),
          .context = static_cast<int>(p.integer("context")),
          .sparsity = p.real("sparsity"),
          .beta = p.real("beta"),
          .iterations = static_cast<int>(p.integer("dictionary_iterations")),
          .max_frames = static_cast<int>(p.integer("dictionary_frames"))};
}

std::vector<ParameterSpec> dictionary_parameters(const DictionaryOptions& d) {
  return {
      integer_parameter("rank", d.rank, 1, 10000, "bases per source (R)"),
      integer_parameter("context", d.context, 1, 64, "frames per feature column, current last"),
      real_parameter("sparsity", d.sparsity, 0, 1e6, "l1 weight mu on the activations"),
      real_parameter("beta", d.beta, 0, 2, "beta-divergence of the analysis updates"),
      integer_parameter("dictionary_iterations", d.iterations, 0, 100000,
                        "sparse NMF iterations learning each source's bases"),
      integer_parameter("dictionary_frames", d.max_frames, 1, 10000000,
                        "training frames per source kept for learning (a random subset beyond)")};
}

}  // namespace nmfbench::deepnmf
