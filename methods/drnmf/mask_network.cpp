#include "methods/drnmf/mask_network.hpp"

#include <optional>

#include "methods/drnmf/sources.hpp"

namespace nmfbench::drnmf {
namespace {

// Validation batches are scored this many sequences at a time, to bound memory.
constexpr std::size_t kEvaluationChunks = 32;

class MaskNetworkMethod final : public Method, private Trainable {
 public:
  MaskNetworkMethod(MaskNetwork network, Eigen::Index max_frames, TrainingOptions training)
      : network_(std::move(network)), max_frames_(max_frames), training_(std::move(training)) {}

  void train(Task, const TrainingData& data, RunContext& context) override {
    parameters_ = network_.initialise(data, context);
    log_ = run_training(*this, data, training_, context, network_.name);
    // The loss of the weights kept (the best evaluation's, or the initial ones when nothing
    // was trained): paper 003 Table 1's dev loss.
    validation_loss_.reset();
    if (data.validation.size > 0)
      validation_loss_ =
          loss(data.validation, validation_items(context.rng, data.validation.size), false);
  }

  void run(Task task, const ComplexArray& mixture, RunContext& context) override {
    if (parameters_.names().empty())
      throw Error(network_.name + ": no trained network: it learns on the spec's training.split");
    const Array x = mixture.abs();
    context.report(
        0, masked_sources(task, mixture, network_.mask(parameters_, SequenceBatch::pack({x}, {}))));
  }

  Json save_state() const override {
    Json state = {{"parameters", parameters_.to_json()}, {"training_log", log_}};
    put_validation_loss(state, validation_loss_);
    return state;
  }
  void load_state(const Json& state) override {
    if (!state.contains("parameters"))
      throw Error(network_.name + " state: expected a field 'parameters'");
    ParameterSet parameters = ParameterSet::from_json(state["parameters"]);
    network_.check(parameters);  // a refused state leaves the method as it was
    parameters_ = std::move(parameters);
    log_ = state.value("training_log", Json::array());
    validation_loss_ = validation_loss_of(state);
  }
  Json summary() const override {
    Json summary = {{"parameters", {{"P", parameters_.value_count()}}}, {"training_log", log_}};
    put_validation_loss(summary, validation_loss_);
    return summary;
  }

 private:
  ParameterSet& parameters() override { return parameters_; }

  // The loss over the valid frames of the batch's utterances, each cut into chunks of at most
  // max_frames that start afresh from the initial state.
  Real loss(const TrainingSet& data, const std::vector<BatchItem>& batch, bool gradient) override {
    std::vector<Array> xs, ys;
    for (const BatchItem& b : batch) {
      const auto [x, y] = item_magnitudes(data, b);
      Eigen::Index padded = 0;
      for (const Chunk& c : split_utterances({x.cols()}, max_frames_, padded)) {
        xs.push_back(x.middleCols(c.start, c.end - c.start));
        ys.push_back(y.middleCols(c.start, c.end - c.start));
      }
    }
    if (gradient) return network_.loss(parameters_, SequenceBatch::pack(xs, ys), true);
    Real total = 0, frames = 0;
    for (std::size_t at = 0; at < xs.size(); at += kEvaluationChunks) {
      const std::size_t end = std::min(xs.size(), at + kEvaluationChunks);
      const SequenceBatch part = SequenceBatch::pack({xs.begin() + at, xs.begin() + end},
                                                     {ys.begin() + at, ys.begin() + end});
      const auto n = static_cast<Real>(part.valid_frames());
      total += network_.loss(parameters_, part, false) * n;
      frames += n;
    }
    return total / frames;
  }

  MaskNetwork network_;
  Eigen::Index max_frames_;
  TrainingOptions training_;
  ParameterSet parameters_;
  Json log_ = Json::array();
  std::optional<Real> validation_loss_;
};

}  // namespace

std::unique_ptr<Method> make_mask_network_method(MaskNetwork network, Eigen::Index max_frames,
                                                 TrainingOptions training) {
  return std::make_unique<MaskNetworkMethod>(std::move(network), max_frames, std::move(training));
}

ParameterSpec max_frames_parameter() {
  return integer_parameter("max_frames", 500, 1, 1000000,
                           "training sequences are chunks of at most this many frames");
}

}  // namespace nmfbench::drnmf
