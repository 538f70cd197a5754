#include "methods/drnmf/drnmf_method.hpp"

#include "methods/drnmf/dictionaries.hpp"
#include "methods/drnmf/lstm.hpp"
#include "methods/drnmf/mask_network.hpp"
#include "methods/drnmf/network.hpp"

namespace nmfbench::drnmf {
namespace {

std::unique_ptr<Method> make_drnmf(const ParameterValues& p) {
  const DictionaryOptions dictionary = dictionary_options(p);
  const Network network(
      {.speech = dictionary.speech,
       .ista = {
           .layers = static_cast<int>(p.integer("layers")),
           .first_layer = p.choice("first_layer") == "ista" ? FirstLayer::ista : FirstLayer::code,
           .lambda = dictionary.nmf.sparsity}});
  const Real alpha = p.real("alpha");
  MaskNetwork m{
      "dr_nmf",
      [=](const TrainingData& data, RunContext& context) {
        RandomStream rng = context.rng.derive("dr_nmf/initialisation");
        const Array w =
            learn_dictionaries(split_magnitudes(data.train, rng), dictionary, rng, context.log);
        return initial_parameters(w, alpha, network.options(), rng.uniform_array(w.cols(), 1));
      },
      [=](ParameterSet& parameters, const SequenceBatch& batch, bool gradient) {
        return network.loss(parameters, batch, gradient);
      },
      [=](const ParameterSet& parameters, const SequenceBatch& batch) {
        return network.forward(parameters, batch).mask;
      },
      [=](const ParameterSet& parameters) {
        for (const char* name : {"ar", "h0r", "Wyr", "Wvr"})
          if (!parameters.contains(name))
            throw Error(std::string("dr_nmf state: expected the parameter '") + name + "'");
        if (parameters.value("Wyr").cols() != dictionary.speech ||
            parameters.value("ar").rows() != network.options().ista.layers)
          throw Error(
              "dr_nmf state: its network is not this configuration's (speech_components, "
              "layers)");
      }};
  return make_mask_network_method(std::move(m), p.integer("max_frames"), training_options(p));
}

std::unique_ptr<Method> make_lstm(const ParameterValues& p) {
  const LstmOptions options{.layers = static_cast<int>(p.integer("layers")),
                            .hidden = static_cast<int>(p.integer("hidden")),
                            .hard_sigmoid = p.choice("gate") == "hard_sigmoid"};
  const Lstm lstm(options);
  MaskNetwork m{
      "lstm_mask",
      [=](const TrainingData& data, RunContext& context) {
        // The configuration's own weights: the training stream is keyed by it.
        RandomStream rng = context.rng.derive("lstm_mask/weights");
        return lstm_parameters(data.train.stft->bins(), options, rng);
      },
      [=](ParameterSet& parameters, const SequenceBatch& batch, bool gradient) {
        return lstm.loss(parameters, batch, gradient);
      },
      [=](const ParameterSet& parameters, const SequenceBatch& batch) {
        return lstm.mask(parameters, batch);
      },
      [=](const ParameterSet& parameters) {
        const std::string last = "W_hh" + std::to_string(options.layers);
        if (!parameters.contains(last) || !parameters.contains("W_out") ||
            parameters.value(last).cols() != options.hidden)
          throw Error("lstm_mask state: its network is not this configuration's (layers, hidden)");
      }};
  return make_mask_network_method(std::move(m), p.integer("max_frames"), training_options(p));
}

void add(std::vector<ParameterSpec>& to, std::vector<ParameterSpec> more) {
  for (auto& p : more) to.push_back(std::move(p));
}

const Capabilities kLearnt{.split = SplitLearning::end_to_end, .iterative = false};

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
  parameters.push_back(max_frames_parameter());
  // Sec. 5: Adam (Keras 2's), learning rate 1e-3, no clipping, batches of 32, patience 50.
  add(parameters, training_parameters({.optimizer = "adam_keras",
                                       .learning_rate = 1e-3,
                                       .epochs = 0,
                                       .batch = 32,
                                       .patience = 50}));
  return {{"dr_nmf",
           "Deep recurrent NMF: warm-start ISTA unfolded into a recurrent network, initialised "
           "from sparse NMF and trained end to end (paper 003)",
           {{Task::denoise, kLearnt}, {Task::separate, kLearnt}},
           parameters},
          make_drnmf};
}

MethodRegistration lstm_registration() {
  std::vector<ParameterSpec> parameters = {
      integer_parameter("layers", 2, 1, 100, "stacked LSTM layers K"),
      integer_parameter("hidden", 54, 1, 100000,
                        "hidden units N per layer (Table 1: 2 x 54, 2 x 244, 5 x 70, 5 x 250)"),
      choice_parameter("gate", "sigmoid", {"sigmoid", "hard_sigmoid"},
                       "gate nonlinearity: PyTorch's sigmoid or Keras 2.0.4's hard sigmoid"),
      max_frames_parameter()};
  // Sec. 5: Adam, learning rate 1e-4, clipping at 1, batches of 32, patience 50.
  add(parameters, training_parameters({.optimizer = "adam_keras",
                                       .learning_rate = 1e-4,
                                       .clip = 1,
                                       .epochs = 0,
                                       .batch = 32,
                                       .patience = 50}));
  return {{"lstm_mask",
           "Stacked LSTMs estimating a sigmoid speech mask from the mixture's magnitudes, trained "
           "end to end: paper 003's baseline",
           {{Task::denoise, kLearnt}, {Task::separate, kLearnt}},
           parameters},
          make_lstm};
}

}  // namespace nmfbench::drnmf
