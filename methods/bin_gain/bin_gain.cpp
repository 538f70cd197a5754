#include "methods/bin_gain/bin_gain.hpp"

#include "core/autodiff/ops.hpp"
#include "methods/features.hpp"
#include "methods/training_loop.hpp"

namespace nmfbench::bin_gain {
namespace {

class BinGain final : public Method, private Trainable {
 public:
  explicit BinGain(const ParameterValues& p)
      : training_(training_options(p)), exponent_(p.real("exponent")) {}

  void train(Task, const TrainingData& data, RunContext& context) override {
    bins(data.train.stft->bins());
    log_ = run_training(*this, data, training_, context, "bin_gain");
  }

  void run(Task task, const ComplexArray& mixture, RunContext& context) override {
    bins(mixture.rows());
    const Array gain = sigmoid(parameters_.value("theta"));
    std::vector<ComplexArray> sources = {mixture.colwise() * gain.col(0).cast<Complex>()};
    if (task == Task::separate)
      sources.push_back(mixture.colwise() * (1 - gain.col(0)).cast<Complex>());
    context.report(0, sources);
  }

  Json save_state() const override {
    return {{"parameters", parameters_.to_json()}, {"training_log", log_}};
  }
  void load_state(const Json& state) override {
    if (!state.contains("parameters")) throw Error("bin_gain state: expected a field 'parameters'");
    parameters_ = ParameterSet::from_json(state["parameters"]);
    if (!parameters_.contains("theta") || parameters_.value("theta").cols() != 1)
      throw Error("bin_gain state: expected 'theta', a column of one value per bin");
    log_ = state.value("training_log", Json::array());
  }
  Json summary() const override {
    Json gain = Json::array();
    if (parameters_.contains("theta")) {
      const Array values = sigmoid(parameters_.value("theta"));
      for (Real g : values.reshaped()) gain.push_back(g);
    }
    return {{"gain", gain}, {"training_log", log_}};
  }

 private:
  static Array sigmoid(const Array& x) { return 1 / (1 + (-x).exp()); }

  // theta starts at 0 (a gain of 1/2) for a spectrogram of `count` bins.
  void bins(Eigen::Index count) {
    if (!parameters_.contains("theta")) parameters_.add("theta", Array::Zero(count, 1));
    if (parameters_.value("theta").rows() != count)
      throw Error("bin_gain: the gain has " + std::to_string(parameters_.value("theta").rows()) +
                  " bins, the spectrogram " + std::to_string(count));
  }

  ParameterSet& parameters() override { return parameters_; }

  // The mean over the batch of the squared error of the target's magnitude |S|^p estimated
  // as g |X|^p.
  Real loss(const TrainingSet& data, const std::vector<BatchItem>& batch, bool gradient) override {
    ad::Tape tape;
    const auto bound = parameters_.bind(tape);
    const ad::Var gain = ad::sigmoid(bound.at("theta"));
    ad::Var total;
    for (std::size_t b = 0; b < batch.size(); ++b) {
      RandomStream rng = batch[b].rng;
      const TrainingItem item = data.draw(batch[b].index, rng);
      const Array mixture = magnitude_features(data.stft->forward(item.mixture), exponent_);
      const Array target = magnitude_features(data.stft->forward(item.references.at(0)), exponent_);
      const ad::Var error = ad::mse(gain * tape.constant(mixture), tape.constant(target));
      total = b == 0 ? error : total + error;
    }
    const ad::Var mean = total / static_cast<Real>(batch.size());
    if (gradient) {
      tape.backward(mean);
      parameters_.collect_grads(tape, bound);
    }
    return mean.scalar();
  }

  TrainingOptions training_;
  Real exponent_;
  ParameterSet parameters_;
  Json log_ = Json::array();
};

}  // namespace

MethodRegistration registration() {
  std::vector<ParameterSpec> parameters = {
      real_parameter("exponent", 1, 0.5, 2, "the gain is fitted on |X|^exponent")};
  for (auto& p : training_parameters({.learning_rate = 0.05, .steps = 0, .epochs = 20, .batch = 4}))
    parameters.push_back(std::move(p));
  const Capabilities learnt_on_split{.split = SplitLearning::end_to_end, .iterative = false};
  return {{"bin_gain",
           "A per-frequency-bin gain learnt on a training split: a feed-forward sanity baseline "
           "and the worked example of a trained plugin",
           {{Task::denoise, learnt_on_split}, {Task::separate, learnt_on_split}},
           parameters},
          [](const ParameterValues& p) { return std::make_unique<BinGain>(p); }};
}

}  // namespace nmfbench::bin_gain
