#include "methods/nae/registration.hpp"

#include <optional>

#include "core/optim/parameters.hpp"
#include "methods/nae/conv_nmf.hpp"
#include "methods/nae/network.hpp"
#include "methods/nae/separation.hpp"

namespace nmfbench::nae {
namespace {

// The learnt part of each source's model, saved per source as a named set of arrays.
Json save_models(const std::vector<std::vector<Array>>& models, const char* prefix) {
  Json out = Json::array();
  for (const auto& model : models) {
    ParameterSet set;
    for (std::size_t i = 0; i < model.size(); ++i) {
      std::string name = prefix;  // appended: GCC 12 warns on "literal" + std::string (bug 105329)
      set.add(name += std::to_string(i), model[i]);
    }
    out.push_back(set.to_json());
  }
  return out;
}

std::vector<std::vector<Array>> load_models(const Json& state, const std::string& what,
                                            std::size_t layers) {
  if (!state.contains("sources") || !state["sources"].is_array())
    throw Error(what + " state: expected an array 'sources'");
  std::vector<std::vector<Array>> models;
  for (const auto& source : state["sources"]) {
    const ParameterSet set = ParameterSet::from_json(source);
    if (set.names().size() != layers)
      throw Error(what + " state: a source has " + std::to_string(set.names().size()) +
                  " arrays, the configuration " + std::to_string(layers));
    std::vector<Array> model;
    for (const auto& name : set.names()) model.push_back(set.value(name));
    models.push_back(std::move(model));
  }
  return models;
}

struct NaeConfig {
  Eigen::Index components, layers, taps;
  Activation activation;
  Real lambda;
  int train_iterations;
};

// Paper 002 (dense, taps 1) and paper 004 (convolutional): only the decoders are kept
// (sec. 3), and separation fits the decoders' inputs Z_k with H_k = g(Z_k), from
// g(Z_k) = log 2, softplus(0), the same start for every activation.
class NaeMethod final : public SourceModels {
 public:
  explicit NaeMethod(NaeConfig c) : c_(c) {}
  Json save_state() const override { return {{"sources", save_models(decoders_, "W")}}; }
  void load_state(const Json& state) override {
    decoders_ = load_models(state, "NAE", static_cast<std::size_t>(c_.layers));
  }

 private:
  std::size_t sources() const override { return decoders_.size(); }
  void learn(std::size_t index, const Array& x, RandomStream rng) override {
    Autoencoder network = make_autoencoder(
        x.rows(), std::vector<Eigen::Index>(static_cast<std::size_t>(c_.layers), c_.components),
        c_.taps, c_.activation, rng);
    Trainer trainer(network, x, c_.lambda);
    for (int s = 0; s < c_.train_iterations; ++s) trainer.step();
    for (const auto& w : network.weights)
      if (!all_finite(w))
        throw Error("fit: the autoencoder of source " + std::to_string(index) +
                    " is not finite after training");
    decoders_.resize(std::max(decoders_.size(), index + 1));
    decoders_[index] = network.decoder();
  }
  void start(const Array& x, RandomStream) override {
    x_ = x;
    const Real z0 = c_.activation == Activation::softplus ? 0 : std::log(2.0);
    std::vector<Array> z;
    for (const auto& decoder : decoders_)
      z.push_back(Array::Constant(decoder.front().cols() / c_.taps, x.cols(), z0));
    fit_.emplace(decoders_, c_.activation, x_, c_.lambda, z);
  }
  void step() override { fit_->step(); }
  std::vector<Array> estimates() const override { return fit_->estimates(); }

  NaeConfig c_;
  std::vector<std::vector<Array>> decoders_;
  Array x_;
  std::optional<ActivationFit> fit_;
};

// Each source's T bases learnt from U(0.1, 1) starts; separation stacks them and fits H from
// U(0.1, 1) scaled to the mixture's level.
class ConvNmfMethod final : public SourceModels {
 public:
  ConvNmfMethod(Eigen::Index components, Eigen::Index taps, HRule rule, int train_iterations)
      : components_(components), taps_(taps), rule_(rule), train_iterations_(train_iterations) {}
  Json save_state() const override { return {{"sources", save_models(bases_, "W")}}; }
  void load_state(const Json& state) override {
    bases_ = load_models(state, "conv_nmf", static_cast<std::size_t>(taps_));
  }

 private:
  std::size_t sources() const override { return bases_.size(); }
  void learn(std::size_t index, const Array& x, RandomStream rng) override {
    const Array v = positive(x);
    Bases w;
    for (Eigen::Index t = 0; t < taps_; ++t)
      w.push_back(rng.uniform_array(v.rows(), components_, 0.1, 1));
    Array h = rng.uniform_array(components_, v.cols(), 0.1, 1);
    for (int i = 0; i < train_iterations_; ++i) iterate(v, w, h, rule_);
    for (const auto& wt : w)
      if (!all_finite(wt))
        throw Error("fit: the bases of source " + std::to_string(index) + " are not finite");
    bases_.resize(std::max(bases_.size(), index + 1));
    bases_[index] = std::move(w);
  }
  void start(const Array& x, RandomStream rng) override {
    v_ = positive(x);
    stacked_.assign(static_cast<std::size_t>(taps_), Array(v_.rows(), 0));
    for (Eigen::Index t = 0; t < taps_; ++t) {
      Array w(v_.rows(), components_ * static_cast<Eigen::Index>(bases_.size()));
      for (std::size_t l = 0; l < bases_.size(); ++l)
        w.middleCols(static_cast<Eigen::Index>(l) * components_, components_) = bases_[l][t];
      stacked_[t] = std::move(w);
    }
    h_ = rng.uniform_array(stacked_.front().cols(), v_.cols(), 0.1, 1);
    h_ *= v_.mean() / conv_model(stacked_, h_).mean();
  }
  void step() override { update_h(v_, stacked_, h_, rule_); }
  std::vector<Array> estimates() const override {
    std::vector<Array> parts;
    for (std::size_t l = 0; l < bases_.size(); ++l)
      parts.push_back(conv_model(
          bases_[l], h_.middleRows(static_cast<Eigen::Index>(l) * components_, components_)));
    return parts;
  }
  // The updates divide by the model: a silent bin gets the smallest positive level instead.
  static Array positive(const Array& x) { return x.max(1e-12); }

  Eigen::Index components_, taps_;
  HRule rule_;
  int train_iterations_;
  std::vector<Bases> bases_;
  Bases stacked_;
  Array v_, h_;
};

ParameterSpec components_parameter(long default_value) {
  return integer_parameter("components", default_value, 1, 4096,
                           "rank r: units of every layer, or bases per source");
}
ParameterSpec train_iterations_parameter(const char* what, long default_value) {
  return integer_parameter("train_iterations", default_value, 0, 1000000, what);
}
ParameterSpec activation_parameter() {
  return choice_parameter("activation", "softplus", {"softplus", "relu", "abs"},
                          "the non-linearity g of every layer (eq. 3); softplus is the paper's");
}
ParameterSpec lambda_parameter() {
  return real_parameter("lambda", 0, 0, 1e6, "L1 weight on H (eq. 5, the sparse NAE)");
}
const std::vector<TaskSupport> kSeparateOnly = {{Task::separate, {.per_example = true}}};

}  // namespace

MethodRegistration nae_registration() {
  return {{"nae",
           "Non-negative autoencoder (paper 002, eqs. 3-10): shallow or deep, per-source models, "
           "separation by fitting the decoders' inputs",
           kSeparateOnly,
           {components_parameter(20),
            integer_parameter("layers", 1, 1, 16,
                              "L: 2L layers, L encoding (1: the shallow NAE of eq. 3, 2: eq. 7)"),
            activation_parameter(), lambda_parameter(),
            train_iterations_parameter("full-batch RProp steps learning each source's autoencoder",
                                       500)}},
          [](const ParameterValues& p) {
            return std::make_unique<NaeMethod>(
                NaeConfig{p.integer("components"), p.integer("layers"), 1,
                          parse_activation(p.choice("activation")), p.real("lambda"),
                          static_cast<int>(p.integer("train_iterations"))});
          }};
}

MethodRegistration conv_nae_registration() {
  return {
      {"conv_nae",
       "Convolutional non-negative autoencoder (paper 004, eqs. 6-8): causal convolutions "
       "of depth T over frames, separating as paper 002",
       kSeparateOnly,
       {components_parameter(20),
        integer_parameter("taps", 8, 1, 256, "T: frames each convolution spans"),
        activation_parameter(), lambda_parameter(),
        train_iterations_parameter("full-batch RProp steps learning each source's autoencoder",
                                   500)}},
      [](const ParameterValues& p) {
        return std::make_unique<NaeMethod>(NaeConfig{
            p.integer("components"), 1, p.integer("taps"), parse_activation(p.choice("activation")),
            p.real("lambda"), static_cast<int>(p.integer("train_iterations"))});
      }};
}

MethodRegistration conv_nmf_registration() {
  return {{"conv_nmf",
           "Convolutive KL NMF (paper 004, eq. 3; Smaragdis 2004): T-frame bases per source, "
           "fitted to the mixture with the bases fixed",
           kSeparateOnly,
           {components_parameter(20),
            integer_parameter("taps", 8, 1, 256, "T: frames each basis spans"),
            choice_parameter("h_update", "sum", {"sum", "average"},
                             "H rule: the exact monotone step, or the per-shift updates averaged"),
            train_iterations_parameter("iterations learning each source's bases", 200)}},
          [](const ParameterValues& p) {
            return std::make_unique<ConvNmfMethod>(p.integer("components"), p.integer("taps"),
                                                   parse_h_rule(p.choice("h_update")),
                                                   static_cast<int>(p.integer("train_iterations")));
          }};
}

}  // namespace nmfbench::nae
