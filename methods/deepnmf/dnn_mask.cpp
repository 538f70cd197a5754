#include "methods/deepnmf/dnn_mask.hpp"

#include "core/array_math.hpp"
#include "core/autodiff/ops.hpp"
#include "methods/deepnmf/analysis.hpp"
#include "methods/deepnmf/mask_network.hpp"
#include "methods/features.hpp"
#include "methods/training_loop.hpp"

namespace nmfbench::deepnmf {
namespace {

constexpr Real kLogFloor = 1e-9;

class DnnMask final : public Method, private Trainable {
 public:
  explicit DnnMask(const ParameterValues& p)
      : training_(training_options(p)),
        hidden_(parse_topology(p.choice("topology"), "dnn_mask")),
        context_(static_cast<int>(p.integer("context"))),
        input_noise_(p.real("input_noise")) {}

  void train(Task, const TrainingData& data, RunContext& context) override {
    std::vector<Array> features;
    for (std::size_t i = 0; i < data.train.size; ++i) {
      RandomStream rng = context.rng.derive("statistics item " + std::to_string(i));
      features.push_back(log_context(data.train.stft->forward(data.train.draw(i, rng).mixture)));
    }
    statistics_ = FeatureStatistics::fit(side_by_side(features));
    RandomStream init = context.rng.derive("weights");
    network_ = make_mask_network(static_cast<int>(features.front().rows()), hidden_,
                                 data.train.stft->bins(), init);
    log_ = run_training(*this, data, training_, context, "dnn_mask");
  }

  void run(Task, const ComplexArray& mixture, RunContext& context) override {
    if (network_.names().empty()) throw Error("dnn_mask: the network was never trained");
    ad::Tape tape;
    const Array y = mask(network_.bind(tape), layer_count(network_),
                         tape.constant(statistics_.apply(log_context(mixture))))
                        .value();
    context.report(0, masked_sources({y, 1 - y}, mixture));
  }

  Json save_state() const override {
    return {{"network", network_.to_json()},
            {"statistics", statistics_.to_json()},
            {"training_log", log_}};
  }
  void load_state(const Json& state) override {
    if (!state.contains("network") || !state.contains("statistics"))
      throw Error("dnn_mask state: expected the fields 'network' and 'statistics'");
    network_ = ParameterSet::from_json(state["network"]);
    statistics_ = FeatureStatistics::from_json(state["statistics"], "dnn_mask state");
    log_ = state.value("training_log", Json::array());
  }
  Json summary() const override {
    return {{"parameters", {{"P", network_.value_count()}}}, {"training_log", log_}};
  }

 private:
  Array log_context(const ComplexArray& x) const {
    return log_features(stack_context(magnitude_features(x, 1), context_), kLogFloor);
  }

  ParameterSet& parameters() override { return network_; }

  // The mean over the batch of eq. 11; training adds Gaussian noise to the standardised
  // features (sec. 3.2).
  Real loss(const TrainingSet& data, const std::vector<BatchItem>& batch, bool gradient) override {
    ad::Tape tape;
    const auto bound = network_.bind(tape);
    ad::Var total;
    for (std::size_t b = 0; b < batch.size(); ++b) {
      RandomStream rng = batch[b].rng;
      const TrainingItem item = data.draw(batch[b].index, rng);
      const ComplexArray x = data.stft->forward(item.mixture);
      Array features = statistics_.apply(log_context(x));
      if (gradient && input_noise_ > 0)
        features +=
            input_noise_ * rng.derive("input noise").normal_array(features.rows(), features.cols());
      const ad::Var y = mask(bound, layer_count(network_), tape.constant(features));
      const ad::Var e =
          signal_approximation(y, magnitude_features(x, 1),
                               magnitude_features(data.stft->forward(item.references.at(0)), 1));
      total = b == 0 ? e : total + e;
    }
    const ad::Var mean = total / static_cast<Real>(batch.size());
    if (gradient) {
      tape.backward(mean);
      network_.collect_grads(tape, bound);
    }
    return mean.scalar();
  }

  TrainingOptions training_;
  std::vector<int> hidden_;
  int context_;
  Real input_noise_;
  FeatureStatistics statistics_;
  ParameterSet network_;
  Json log_ = Json::array();
};

}  // namespace

MethodRegistration dnn_mask_registration() {
  std::vector<ParameterSpec> parameters = {
      choice_parameter("topology", "3x256", {"3x256", "1x1024", "2x1024", "3x1024", "2x1536"},
                       "hidden layers x units (Table 1)"),
      integer_parameter("context", 9, 1, 64, "frames per feature column, current last"),
      real_parameter("input_noise", 0.1, 0, 10,
                     "standard deviation of the Gaussian noise on the training features")};
  for (auto& p : training_parameters({.optimizer = "sgd",
                 .learning_rate = 1e-5,
                 .momentum = 0.9,
                 .steps = 0,
                 .epochs = 20,
                 .batch = 4,
                 .patience = 3}))
    parameters.push_back(std::move(p));
  const Capabilities end_to_end{.split = SplitLearning::end_to_end, .iterative = false};
  return {{"dnn_mask",
           "The DNN baseline of paper 001: tanh layers and a logistic mask on log-magnitude "
           "context features, trained on the signal-approximation loss (eq. 11)",
           {{Task::separate, end_to_end}},
           parameters},
          [](const ParameterValues& p) { return std::make_unique<DnnMask>(p); }};
}

}  // namespace nmfbench::deepnmf
