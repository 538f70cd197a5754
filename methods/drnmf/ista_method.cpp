#include "methods/drnmf/ista_method.hpp"

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
        alpha_(p.real("alpha")) {}

  void train(Task, const TrainingData& data, RunContext& context) override {
    RandomStream rng = context.rng.derive("ista_nmf/dictionaries");
    w_ = learn_dictionaries(split_magnitudes(data.train, rng), dictionary_, rng, context.log);
    speech_ = dictionary_.speech;
  }

  void run(Task task, const ComplexArray& mixture, RunContext& context) override {
    if (w_.size() == 0)
      throw Error("ista_nmf: no dictionary: it learns on the spec's training.split");
    if (w_.rows() != mixture.rows())
      throw Error("ista_nmf: the dictionary has " + std::to_string(w_.rows()) +
                  " bins, the mixture " + std::to_string(mixture.rows()));
    const Array x = mixture.abs();
    const Eigen::Index n = w_.cols();
    const Real sparsity = dictionary_.nmf.sparsity;
    const Ista ista(w_, {.alpha = alpha_, .lambda = sparsity});
    const nmf::BetaNmf snmf({.beta = 2, .sparsity = sparsity, .normalized_bases = true});
    // Every algorithm starts from the same random activations (warm start from their first
    // column), so that iteration 0 is one point for all and no source estimate is silent.
    const Array start = context.rng.uniform_array(n, x.cols());
    Array h = start;
    int done = 0;
    for (int checkpoint : context.checkpoints) {
      if (context.cancelled()) return;
      if (algorithm_ == "warm_start") {
        h = ista.warm_start(x, start.col(0), checkpoint);
      } else {
        for (; done < checkpoint; ++done)
          algorithm_ == "snmf" ? snmf.update_h(x, w_, h) : ista.iterate(x, h);
      }
      context.report(checkpoint, masked_sources(task, mixture, mask(h)));
    }
    if (context.factors) context.factors(w_, h);
  }

  Json save_state() const override {
    return w_.size() == 0 ? Json::object() : dictionary_to_json(w_, speech_);
  }
  void load_state(const Json& state) override {
    Eigen::Index speech = 0;
    w_ = dictionary_from_json(state, "ista_nmf", speech);  // a refused state changes nothing
    speech_ = speech;
  }

 private:
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
  Array w_;
  Eigen::Index speech_ = 0;
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
  const Capabilities learnt{.split = SplitLearning::end_to_end, .iterative = true};
  return {{"ista_nmf",
           "Sparse NMF of speech and noise by ISTA, warm-start ISTA or multiplicative updates "
           "with dictionaries learnt on the training split (paper 003, Algs. 1-2, sec. 4)",
           {{Task::denoise, learnt}, {Task::separate, learnt}},
           parameters},
          [](const ParameterValues& p) { return std::make_unique<IstaNmf>(p); }};
}

}  // namespace nmfbench::drnmf
