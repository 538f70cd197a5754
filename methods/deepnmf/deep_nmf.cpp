#include "methods/deepnmf/deep_nmf.hpp"

#include <unordered_map>

#include "core/hash.hpp"
#include "core/indexed_name.hpp"
#include "methods/deepnmf/analysis.hpp"
#include "methods/deepnmf/context_bases.hpp"
#include "methods/deepnmf/network.hpp"
#include "methods/features.hpp"
#include "methods/training_loop.hpp"

namespace nmfbench::deepnmf {
namespace {

std::string name_of(int layer) {
  return indexed("W", layer);
}

class DeepNmf final : public Method, private Trainable {
 public:
  explicit DeepNmf(const ParameterValues& p)
      : bases_(p, "deep_nmf"), training_(training_options(p)) {
    config_.layers = static_cast<int>(p.integer("layers"));
    config_.untied = static_cast<int>(p.integer("untied"));
    config_.sparsity = bases_.options().sparsity;
    config_.beta_layers = bases_.options().beta;
    config_.beta_loss = p.real("beta_loss");
    if (training_.optimizer != "multiplicative")
      throw Error("deep_nmf: optimizer '" + training_.optimizer +
                  "': the bases stay non-negative only under 'multiplicative' (eq. 10)");
  }

  void train(Task, const TrainingData& data, RunContext& context) override {
    bases_.learn(data.train, context);
    configure(data.train.stft->bins());
    const Array& w_bar = bases_.bases(config_.bins);
    parameters_ = ParameterSet();
    for (int k = first_untied(); k <= config_.layers; ++k)
      parameters_.add(name_of(k), w_bar.bottomRows(config_.bins));
    tied_outputs_.clear();
    log_ = run_training(*this, data, training_, context, "deep_nmf");
    tied_outputs_.clear();
  }

  // Checkpoint k <= K reports the output layer on H^k; later ones the network's output.
  void run(Task, const ComplexArray& mixture, RunContext& context) override {
    configure(mixture.rows());
    const Array m = features(mixture);
    const Forward pass = forward(config_, w_bar(), untied(), m, start(m), {});
    for (int checkpoint : context.checkpoints) {
      const Array& h = pass.h[std::min(checkpoint, config_.layers)];
      context.report(
          checkpoint,
          masked_sources(current_frame_masks(pass.output_bases, h, config_.sizes), mixture));
    }
    if (context.factors) context.factors(pass.output_bases, pass.h.back());
  }

  Json save_state() const override {
    return {{"bases", bases_.to_json()}, {"untied", parameters_.to_json()}, {"training_log", log_}};
  }
  void load_state(const Json& state) override {
    if (!state.contains("bases") || !state.contains("untied"))
      throw Error("deep_nmf state: expected the fields 'bases' and 'untied'");
    bases_.from_json(state["bases"]);
    parameters_ = ParameterSet::from_json(state["untied"]);
    for (int k = first_untied(); k <= config_.layers; ++k)
      if (!parameters_.contains(name_of(k)))
        throw Error("deep_nmf state: 'untied' has no '" + name_of(k) + "'");
    log_ = state.value("training_log", Json::array());
  }

  // Table 2's counts: D_F = c F R fixed, P_D = C F R trained, P = (c + C) F R.
  Json summary() const override {
    const long fr = static_cast<long>(bases_.frame_bins()) * bases_.options().rank *
                    static_cast<long>(bases_.sizes().size());
    const long fixed = bases_.options().context * fr, trained = config_.untied * fr;
    return {{"parameters", {{"D_F", fixed}, {"P_D", trained}, {"P", fixed + trained}}},
            {"training_log", log_}};
  }

 private:
  int first_untied() const { return config_.layers - config_.untied + 1; }
  void configure(Eigen::Index bins) {
    config_.bins = static_cast<int>(bins);
    config_.sizes = bases_.sizes();
    config_.weights.assign(config_.sizes.size(), 0);
    config_.weights.front() = 1;  // gamma = (1, 0): speech only
    validate(config_, "deep_nmf");
  }
  const Array& w_bar() const { return bases_.bases(config_.bins); }
  std::vector<Array> untied() const {
    std::vector<Array> w;
    for (int k = first_untied(); k <= config_.layers; ++k)
      w.push_back(parameters_.value(name_of(k)));
    return w;
  }
  Array features(const ComplexArray& x) const {
    return stack_context(magnitude_features(x, 1), bases_.options().context);
  }
  Array start(const Array& m) const { return initial_activations(normalize_columns(w_bar()).w, m); }

  ParameterSet& parameters() override { return parameters_; }

  // The mean of eq. 7 over the batch; its gradient in the parts eq. 10 divides.
  Real loss(const TrainingSet& data, const std::vector<BatchItem>& batch, bool gradient) override {
    const std::vector<Array> w = untied();
    std::vector<SplitGradient> sum(w.size());
    for (std::size_t i = 0; i < w.size(); ++i)
      sum[i] = {Array::Zero(w[i].rows(), w[i].cols()), Array::Zero(w[i].rows(), w[i].cols())};
    Real total = 0;
    for (const BatchItem& b : batch) {
      RandomStream rng = b.rng;
      const TrainingItem item = data.draw(b.index, rng);
      const Array m = features(data.stft->forward(item.mixture));
      std::vector<Array> targets;
      for (const Signal& s : item.references)
        targets.push_back(magnitude_features(data.stft->forward(s), 1));
      const Objective part = objective(config_, w_bar(), w, m, tied_output_of(item.mixture, m),
                                       targets, gradient, true);
      total += part.loss;
      if (gradient) accumulate(sum, part.bases);
    }
    const Real n = static_cast<Real>(batch.size());
    if (gradient)
      for (std::size_t i = 0; i < w.size(); ++i)
        parameters_.set_split_grad(name_of(first_untied() + static_cast<int>(i)),
                                   sum[i].positive / n, sum[i].negative / n);
    return total / n;
  }

  // The tied layers' output for a mixture, computed on its first visit: nothing in those
  // layers is trained, so later epochs (and validations) start from it after the tied layers.
  // Keyed by the mixture's samples, which also covers splits that draw mixtures afresh.
  const Array& tied_output_of(const Signal& mixture, const Array& m) {
    const std::uint64_t key = fnv1a(mixture.data(), sizeof(Real) * mixture.size());
    auto it = tied_outputs_.find(key);
    if (it == tied_outputs_.end() || it->second.cols() != m.cols())
      it = tied_outputs_.insert_or_assign(key, tied_output(config_, w_bar(), m, start(m))).first;
    return it->second;
  }

  ContextBases bases_;
  TrainingOptions training_;
  NetworkConfig config_;
  ParameterSet parameters_;
  Json log_ = Json::array();
  std::unordered_map<std::uint64_t, Array> tied_outputs_;  // during train() only
};

}  // namespace

MethodRegistration deep_nmf_registration() {
  std::vector<ParameterSpec> parameters = dictionary_parameters({});
  parameters.push_back(integer_parameter("layers", 4, 1, 1000, "K update layers"));
  parameters.push_back(
      integer_parameter("untied", 1, 0, 1000, "C last bases untied and trained (1: DNMF)"));
  parameters.push_back(real_parameter("beta_loss", 2, 0, 2, "beta of the training loss (eq. 7)"));
  for (auto& p : training_parameters(
           {.optimizer = "multiplicative", .steps = 0, .epochs = 10, .batch = 4, .patience = 3}))
    parameters.push_back(std::move(p));
  const Capabilities end_to_end{.split = SplitLearning::end_to_end, .iterative = true};
  return {{"deep_nmf",
           "Deep NMF (paper 001): K unfolded sparse NMF layers, the last C bases untied and "
           "trained by multiplicative back-propagation",
           {{Task::separate, end_to_end}},
           parameters},
          [](const ParameterValues& p) { return std::make_unique<DeepNmf>(p); }};
}

}  // namespace nmfbench::deepnmf
