#include "methods/drnmf/drnmf_method.hpp"

#include "methods/drnmf/dictionaries.hpp"
#include "methods/drnmf/network.hpp"
#include "methods/drnmf/sources.hpp"
#include "methods/features.hpp"
#include "methods/training_loop.hpp"

namespace nmfbench::drnmf {
namespace {

// Validation batches are scored this many sequences at a time, to bound memory.
constexpr std::size_t kEvaluationChunks = 32;

class DrNmf final : public Method, private Trainable {
 public:
  explicit DrNmf(const ParameterValues& p)
      : dictionary_(dictionary_options(p)),
        network_(
            {.speech = dictionary_.speech,
             .layers = static_cast<int>(p.integer("layers")),
             .first_layer = p.choice("first_layer") == "ista" ? FirstLayer::ista : FirstLayer::code,
             .lambda = dictionary_.nmf.sparsity}),
        alpha_(p.real("alpha")),
        max_frames_(p.integer("max_frames")),
        training_(training_options(p)) {}

  void train(Task, const TrainingData& data, RunContext& context) override {
    RandomStream rng = context.rng.derive("dr_nmf/initialisation");
    const Array w =
        learn_dictionaries(split_magnitudes(data.train, rng), dictionary_, rng, context.log);
    parameters_ = initial_parameters(w, alpha_, network_.options(), rng.uniform_array(w.cols(), 1));
    log_ = run_training(*this, data, training_, context, "dr_nmf");
  }

  void run(Task task, const ComplexArray& mixture, RunContext& context) override {
    if (!parameters_.contains("h0r"))
      throw Error("dr_nmf: no trained network: it learns on the spec's training.split");
    const Array x = mixture.abs();
    const Forward out = network_.forward(parameters_, SequenceBatch::pack({x}, {}));
    context.report(0, masked_sources(task, mixture, out.mask));
  }

  Json save_state() const override {
    return {{"parameters", parameters_.to_json()}, {"training_log", log_}};
  }
  void load_state(const Json& state) override {
    if (!state.contains("parameters")) throw Error("dr_nmf state: expected a field 'parameters'");
    parameters_ = ParameterSet::from_json(state["parameters"]);
    for (const char* name : {"ar", "h0r", "Wyr", "Wvr"})
      if (!parameters_.contains(name))
        throw Error(std::string("dr_nmf state: expected the parameter '") + name + "'");
    if (parameters_.value("Wyr").cols() != network_.options().speech ||
        parameters_.value("ar").rows() != network_.options().layers)
      throw Error(
          "dr_nmf state: its network is not this configuration's (speech_components, layers)");
    log_ = state.value("training_log", Json::array());
  }
  Json summary() const override { return {{"training_log", log_}}; }

 private:
  ParameterSet& parameters() override { return parameters_; }

  // The mean loss over the valid frames of the batch's utterances, each cut into chunks of
  // at most max_frames that start afresh from h0.
  Real loss(const TrainingSet& data, const std::vector<BatchItem>& batch, bool gradient) override {
    std::vector<Array> xs, ys;
    for (const BatchItem& b : batch) {
      RandomStream rng = b.rng;
      const TrainingItem item = data.draw(b.index, rng);
      const Array x = magnitude_features(data.stft->forward(item.mixture), 1);
      const Array y = magnitude_features(data.stft->forward(item.references.at(0)), 1);
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

  DictionaryOptions dictionary_;
  Network network_;
  Real alpha_;
  Eigen::Index max_frames_;
  TrainingOptions training_;
  ParameterSet parameters_;
  Json log_ = Json::array();
};

}  // namespace

MethodRegistration drnmf_registration() {
  std::vector<ParameterSpec> parameters = dictionary_parameters();
  parameters.push_back(integer_parameter("layers", 2, 1, 100, "unfolded ISTA layers K per frame"));
  parameters.push_back(choice_parameter(
      "first_layer", "code", {"code", "ista"},
      "code: the authors' first layer (no -W^T W h / alpha term, a 1e-7 leak); ista: Alg. 2 as "
      "printed"));
  parameters.push_back(real_parameter(
      "alpha", 50, 1e-6, 1e9, "initial inverse step size (paper: 50 for N = 200, 400 for 2000)"));
  parameters.push_back(integer_parameter(
      "max_frames", 500, 1, 1000000, "training sequences are chunks of at most this many frames"));
  // Sec. 5: Adam (Keras 2's), learning rate 1e-3, no clipping, batches of 32, patience 50.
  for (auto& p : training_parameters({.optimizer = "adam_keras",
                 .learning_rate = 1e-3,
                 .epochs = 0,
                 .batch = 32,
                 .patience = 50}))
    parameters.push_back(std::move(p));
  const Capabilities learnt{.split = SplitLearning::end_to_end, .iterative = false};
  return {{"dr_nmf",
           "Deep recurrent NMF: warm-start ISTA unfolded into a recurrent network, initialised "
           "from sparse NMF and trained end to end (paper 003)",
           {{Task::denoise, learnt}, {Task::separate, learnt}},
           parameters},
          [](const ParameterValues& p) { return std::make_unique<DrNmf>(p); }};
}

}  // namespace nmfbench::drnmf
