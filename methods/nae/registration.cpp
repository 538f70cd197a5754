#include "methods/nae/registration.hpp"

#include <optional>

#include "core/array_math.hpp"

#include "methods/nae/conv_nmf.hpp"
#include "methods/nae/network.hpp"
#include "methods/nae/separation.hpp"

namespace nmfbench::nae {
namespace {

Array stacked(const std::vector<Array>& parts) {
  return side_by_side([&] {
           std::vector<Array> transposed;
           for (const auto& p : parts) transposed.push_back(p.transpose());
           return transposed;
         }())
      .transpose();
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
  explicit NaeMethod(NaeConfig c)
      : SourceModels("NAE", static_cast<std::size_t>(c.layers)), c_(c) {}

 private:
  std::vector<Array> learn(const Array& x, RandomStream rng) const override {
    Autoencoder network = make_autoencoder(
        x.rows(), std::vector<Eigen::Index>(static_cast<std::size_t>(c_.layers), c_.components),
        c_.taps, c_.activation, rng);
    Trainer trainer(network, x, c_.lambda);
    for (int s = 0; s < c_.train_iterations; ++s) trainer.step();
    return network.decoder();
  }
  void start(const Array& x, RandomStream) override {
    x_ = x;
    const Real z0 = c_.activation == Activation::softplus ? 0 : std::log(2.0);
    std::vector<Array> z;
    for (const auto& decoder : models())
      z.push_back(Array::Constant(decoder.front().cols() / c_.taps, x.cols(), z0));
    fit_.emplace(models(), c_.activation, x_, c_.lambda, z);
  }
  void step() override { fit_->step(); }
  std::vector<Array> estimates() const override { return fit_->estimates(); }
  std::pair<Array, Array> factors() const override {
    std::vector<Array> bases, activations;
    for (std::size_t k = 0; k < models().size(); ++k) {
      activations.push_back(fit_->h(k));
      bases.push_back(unit_responses(models()[k], activations.back().rows(), c_.activation));
    }
    return {side_by_side(bases), stacked(activations)};
  }

  NaeConfig c_;
  Array x_;
  std::optional<ActivationFit> fit_;
};

// Each source's T bases learnt from U(0.1, 1) starts; separation stacks them and fits H from
// U(0.1, 1) scaled to the mixture's level.
class ConvNmfMethod final : public SourceModels {
 public:
  ConvNmfMethod(Eigen::Index components, Eigen::Index taps, HRule rule, int train_iterations)
      : SourceModels("conv_nmf", static_cast<std::size_t>(taps)),
        components_(components),
        taps_(taps),
        rule_(rule),
        train_iterations_(train_iterations) {}

 private:
  std::vector<Array> learn(const Array& x, RandomStream rng) const override {
    const Array v = positive(x);
    Bases w;
    for (Eigen::Index t = 0; t < taps_; ++t)
      w.push_back(rng.uniform_array(v.rows(), components_, 0.1, 1));
    Array h = rng.uniform_array(components_, v.cols(), 0.1, 1);
    for (int i = 0; i < train_iterations_; ++i) iterate(v, w, h, rule_);
    return w;
  }
  void start(const Array& x, RandomStream rng) override {
    v_ = positive(x);
    stacked_.assign(static_cast<std::size_t>(taps_), Array(v_.rows(), 0));
    for (Eigen::Index t = 0; t < taps_; ++t) {
      Array w(v_.rows(), components_ * static_cast<Eigen::Index>(models().size()));
      for (std::size_t l = 0; l < models().size(); ++l)
        w.middleCols(static_cast<Eigen::Index>(l) * components_, components_) = models()[l][t];
      stacked_[t] = std::move(w);
    }
    h_ = rng.uniform_array(stacked_.front().cols(), v_.cols(), 0.1, 1);
    h_ *= v_.mean() / conv_model(stacked_, h_).mean();
  }
  void step() override { update_h(v_, stacked_, h_, rule_); }
  // The bases of the first frame of every source's patterns.
  std::pair<Array, Array> factors() const override { return {stacked_.front(), h_}; }
  std::vector<Array> estimates() const override {
    std::vector<Array> parts;
    for (std::size_t l = 0; l < models().size(); ++l)
      parts.push_back(conv_model(
          models()[l], h_.middleRows(static_cast<Eigen::Index>(l) * components_, components_)));
    return parts;
  }
  // The updates divide by the model: a silent bin gets the smallest positive level instead.
  static Array positive(const Array& x) { return x.max(1e-12); }

  Eigen::Index components_, taps_;
  HRule rule_;
  int train_iterations_;
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
