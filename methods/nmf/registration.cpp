#include "methods/nmf/registration.hpp"

#include "methods/nmf/beta_nmf.hpp"
#include "methods/nmf/complex_nmf.hpp"
#include "methods/nmf/factorisation_method.hpp"
#include "methods/nmf/model_method.hpp"

namespace nmfbench::nmf {
namespace {

ParameterSpec components_parameter(long default_value) {
  return integer_parameter("components", default_value, 1, 4096,
                           "number of bases K (per source when separating)");
}
ParameterSpec train_iterations_parameter() {
  return integer_parameter("train_iterations", 200, 1, 100000,
                           "iterations learning each source's bases on its training audio (T1)");
}

class ComplexNmfMethod final : public ModelNmfMethod {
 public:
  explicit ComplexNmfMethod(const ParameterValues& p)
      : ModelNmfMethod(p.integer("components"), static_cast<int>(p.integer("train_iterations")),
                       parse_normalization(p.choice("normalization"))),
        model_(make_model(p.choice("model"), p.real("nu"), p.real("beta"))) {}

 private:
  const StatisticalModel& model() const override { return *model_; }
  std::unique_ptr<StatisticalModel> model_;
};

class BetaNmfMethod final : public FactorisationMethod {
 public:
  explicit BetaNmfMethod(const ParameterValues& p)
      : FactorisationMethod(p.integer("components"),
                            static_cast<int>(p.integer("train_iterations")), p.real("exponent")),
        nmf_({p.real("beta"), p.real("sparsity"), p.boolean("normalized_bases")}) {}

 private:
  void iterate(const Array& v, Array& w, Array& h) override { nmf_.iterate(v, w, h); }
  void iterate_h(const Array& v, const Array& w, Array& h) override { nmf_.update_h(v, w, h); }
  Array model_bases(const Array& w) const override { return nmf_.effective_bases(w); }

  BetaNmf nmf_;
};

}  // namespace

MethodRegistration complex_nmf_registration() {
  return {
      {"complex_nmf",
       "Complex-PDF NMF by multiplicative updates (paper 000, eqs. 6-9): Gaussian (IS-NMF), t or "
       "GGD model",
       {{Task::denoise, {}}, {Task::separate, {.per_example = true}}},
       {choice_parameter("model", "gaussian", {"gaussian", "t", "ggd"},
                         "statistical model: zeta = exp(Phi(r)) of eq. 8 (t: eq. 19, ggd: eq. 20)"),
        real_parameter("nu", 1, 1e-6, 1e6, "degrees of freedom of the t model (eq. 19)"),
        real_parameter("beta", 1.2, 1e-6, 10, "shape of the GGD model (eq. 20); 2 is the Gaussian"),
        components_parameter(30), train_iterations_parameter(),
        choice_parameter(
            "normalization", "after_w", {"after_w", "end_rescale_h"},
            "where W's columns are normalised (eq. 9): after the W update, or at the end "
            "with H rescaled")}},
      [](const ParameterValues& p) { return std::make_unique<ComplexNmfMethod>(p); }};
}

MethodRegistration beta_nmf_registration() {
  return {
      {"beta_nmf",
       "Beta-divergence NMF with an L1 penalty on H; sparse NMF with normalised bases (papers 001, "
       "003)",
       {{Task::separate, {.per_example = true}}},
       {real_parameter("beta", 1, 0, 2, "divergence: 0 Itakura-Saito, 1 KL, 2 squared error"),
        real_parameter("sparsity", 1, 0, 1e6, "L1 weight mu on H"),
        boolean_parameter(
            "normalized_bases", true,
            "sparse NMF of Le Roux et al. 2015 (unit-norm bases, normalisation-aware W update)"),
        real_parameter("exponent", 1, 0.5, 2, "the model sees |X|^exponent: 1 magnitude, 2 power"),
        components_parameter(100), train_iterations_parameter()}},
      [](const ParameterValues& p) { return std::make_unique<BetaNmfMethod>(p); }};
}

}  // namespace nmfbench::nmf
