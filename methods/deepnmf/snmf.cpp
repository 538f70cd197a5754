#include "methods/deepnmf/snmf.hpp"

#include "methods/deepnmf/analysis.hpp"
#include "methods/deepnmf/context_bases.hpp"
#include "methods/features.hpp"

namespace nmfbench::deepnmf {
namespace {

class Snmf final : public Method {
 public:
  explicit Snmf(const ParameterValues& p) : bases_(p, "snmf") {}

  void train(Task, const TrainingData& data, RunContext& context) override {
    bases_.learn(data.train, context);
  }

  void run(Task, const ComplexArray& mixture, RunContext& context) override {
    const Array m = stack_context(magnitude_features(mixture, 1), bases_.options().context);
    const LayerBases fixed = layer_bases(normalize_columns(bases_.bases(mixture.rows())).w);
    const Array output = fixed.w.bottomRows(mixture.rows());
    const std::vector<int> sizes = bases_.sizes();
    Array h = initial_activations(fixed.w, m);
    LayerCache cache;
    int done = 0;
    for (int checkpoint : context.checkpoints) {
      for (; done < checkpoint; ++done) {
        if (context.cancelled()) return;
        h = update_layer(fixed, h, m, bases_.options().beta, bases_.options().sparsity, cache);
      }
      context.report(checkpoint, masked_sources(current_frame_masks(output, h, sizes), mixture));
    }
    if (context.factors) context.factors(output, h);
  }

  Json save_state() const override { return {{"bases", bases_.to_json()}}; }
  void load_state(const Json& state) override {
    if (!state.contains("bases")) throw Error("snmf state: expected a field 'bases'");
    bases_.from_json(state["bases"]);
  }

 private:
  ContextBases bases_;
};

}  // namespace

MethodRegistration snmf_registration() {
  const Capabilities from_sources{.split = SplitLearning::from_sources, .iterative = true};
  return {{"snmf",
           "Sparse NMF with context bases learnt per source on the training split (paper 001, "
           "sec. 3.3): K analysis updates, Wiener-like reconstruction of the current frame",
           {{Task::separate, from_sources}},
           dictionary_parameters({})},
          [](const ParameterValues& p) { return std::make_unique<Snmf>(p); }};
}

}  // namespace nmfbench::deepnmf
