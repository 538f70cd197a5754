#include "methods/drnmf/ista_method.hpp"

#include <optional>

#include "methods/drnmf/dictionaries.hpp"
#include "methods/drnmf/ista.hpp"
#include "methods/drnmf/sources.hpp"
#include "methods/nmf/beta_nmf.hpp"

namespace nmfbench::drnmf {
namespace {

class IstaNmf final : public Method {
 public:
  explicit IstaNmf(const ParameterValues& p)
      : dictionary_(dictionary_options(p)),
        algorithm_(p.choice("algorithm")),
        alpha_(p.real("alpha")),
        validation_iterations_(static_cast<int>(p.integer("validation_iterations"))) {}

  void train(Task, const TrainingData& data, RunContext& context) override {
    RandomStream rng = context.rng.derive("ista_nmf/dictionaries");
    set_dictionary(
        learn_dictionaries(split_magnitudes(data.train, rng), dictionary_, rng, context.log),
        dictionary_.speech);
    validation_loss_.reset();
    if (data.validation.size > 0) validation_loss_ = validation_loss(data.validation, context.rng);
  }

  void run(Task task, const ComplexArray& mixture, RunContext& context) override {
    if (w_.size() == 0)
      throw Error("ista_nmf: no dictionary: it learns on the spec's training.split");
    if (w_.rows() != mixture.rows())
      throw Error("ista_nmf: the dictionary has " + std::to_string(w_.rows()) +
                  " bins, the mixture " + std::to_string(mixture.rows()));
    const Array x = mixture.abs();
    Progress p(w_.cols(), x.cols(), context.rng);
    for (int checkpoint : context.checkpoints) {
      if (context.cancelled()) return;
      advance(x, p, checkpoint);
      context.report(checkpoint, masked_sources(task, mixture, mask(p.h)));
    }
    if (context.factors) context.factors(w_, p.h);
  }

  Json save_state() const override {
    if (w_.size() == 0) return Json::object();
    Json state = dictionary_to_json(w_, speech_);
    put_validation_loss(state, validation_loss_);
    return state;
  }
  void load_state(const Json& state) override {
    Eigen::Index speech = 0;
    Array w = dictionary_from_json(state, "ista_nmf", speech);  // a refused state changes nothing
    set_dictionary(std::move(w), speech);
    validation_loss_ = validation_loss_of(state);
  }
  Json summary() const override {
    if (w_.size() == 0) return Json::object();
    Json summary = {{"parameters", {{"P", w_.size()}}}};
    put_validation_loss(summary, validation_loss_);
    return summary;
  }

 private:
  // An estimate on its way: every algorithm starts from the same random activations (warm
  // start from their first column), so that iteration 0 is one point for all and no source
  // estimate is silent.
  struct Progress {
    Progress(Eigen::Index bases, Eigen::Index frames, RandomStream& rng)
        : start(rng.uniform_array(bases, frames)), h(start) {}
    Array start, h;
    int done = 0;
  };

  // The ISTA solver precomputes its N x N matrix from the dictionary, so it is made once per
  // dictionary, not per estimate.
  void set_dictionary(Array w, Eigen::Index speech) {
    w_ = std::move(w);
    speech_ = speech;
    ista_.reset();
    if (algorithm_ != "snmf") ista_.emplace(w_, IstaOptions{alpha_, dictionary_.nmf.sparsity});
  }

  // Takes `p` to `iterations` iterations of the algorithm on the magnitudes x.
  void advance(const Array& x, Progress& p, int iterations) const {
    if (algorithm_ == "warm_start") {
      p.h = ista_->warm_start(x, p.start.col(0), iterations);
    } else if (algorithm_ == "snmf") {
      const nmf::BetaNmf snmf(
          {.beta = 2, .sparsity = dictionary_.nmf.sparsity, .normalized_bases = true});
      for (; p.done < iterations; ++p.done) snmf.update_h(x, w_, p.h);
    } else {
      for (; p.done < iterations; ++p.done) ista_->iterate(x, p.h);
    }
    p.done = iterations;
  }

  // The loss of eq. 7 as DR-NMF trains it, the mean over the frames and bins of the split of
  // (|Y| - mask |X|)^2, with the mask after validation_iterations: paper 003 Table 1's dev
  // loss of SNMF.
  Real validation_loss(const TrainingSet& split, const RandomStream& rng) const {
    const RandomStream starts = rng.derive("ista_nmf/validation");
    Real squared = 0, values = 0;
    for (const BatchItem& item : validation_items(rng, split.size)) {
      const auto [x, y] = item_magnitudes(split, item);
      RandomStream start = starts.derive("item" + std::to_string(item.index));
      Progress p(w_.cols(), x.cols(), start);
      advance(x, p, validation_iterations_);
      squared += (y - mask(p.h) * x).square().sum();
      values += static_cast<Real>(x.size());
    }
    return squared / values;
  }

  // The speech mask of eq. 2 with DR-NMF's 1e-7 above and below (defined where h = 0);
  // SNMF's own, Yhat / (1e-9 + Yhat + Vhat), is sparse_nmf_mask's.
  Array mask(const Array& h) const {
    const Array yhat = (w_.leftCols(speech_).matrix() * h.topRows(speech_).matrix()).array();
    const Array vhat =
        (w_.rightCols(w_.cols() - speech_).matrix() * h.bottomRows(h.rows() - speech_).matrix())
            .array();
    return algorithm_ == "snmf" ? Array(yhat / (1e-9 + yhat + vhat))
                                : Array((1e-7 + yhat) / (1e-7 + yhat + vhat));
  }

  DictionaryOptions dictionary_;
  std::string algorithm_;
  Real alpha_;
  int validation_iterations_;
  Array w_;
  Eigen::Index speech_ = 0;
  std::optional<Ista> ista_;  // for the ISTA algorithms
  std::optional<Real> validation_loss_;
};

}  // namespace

MethodRegistration ista_registration() {
  std::vector<ParameterSpec> parameters = dictionary_parameters();
  parameters.push_back(choice_parameter(
      "algorithm", "warm_start", {"ista", "warm_start", "snmf"},
      "ista: Alg. 1 on every frame, one step per iteration; warm_start: Alg. 2 with "
      "K = the iteration; snmf: multiplicative H updates of the sparse NMF"));
  parameters.push_back(real_parameter(
      "alpha", 50, 1e-6, 1e9, "ISTA's inverse step size (paper: 50 for N = 200, 400 for 2000)"));
  parameters.push_back(integer_parameter(
      "validation_iterations", 200, 0, 1000000,
      "iterations of the validation loss in the model summary (paper 003 Table 1's dev loss; "
      "SNMF runs 200 at test time)"));
  const Capabilities learnt{.split = SplitLearning::end_to_end, .iterative = true};
  return {{"ista_nmf",
           "Sparse NMF of speech and noise by ISTA, warm-start ISTA or multiplicative updates "
           "with dictionaries learnt on the training split (paper 003, Algs. 1-2, sec. 4)",
           {{Task::denoise, learnt}, {Task::separate, learnt}},
           parameters},
          [](const ParameterValues& p) { return std::make_unique<IstaNmf>(p); }};
}

}  // namespace nmfbench::drnmf
