#include "methods/demua/registration.hpp"

#include "methods/demua/demua_method.hpp"

namespace nmfbench::demua {
namespace {

int integer(const ParameterValues& p, const char* name) {
  return static_cast<int>(p.integer(name));
}

std::unique_ptr<Method> make(const ParameterValues& p) {
  const PhiOptions phi{p.choice("phi"),     p.real("nu"),        p.real("beta"),
                       integer(p, "width"), integer(p, "depth"), p.choice("nn_init")};
  const Unrolling unrolling{integer(p, "stacks"), integer(p, "truncation"),
                            integer(p, "separation_stacks"), integer(p, "separation_truncation"),
                            nmf::parse_normalization(p.choice("normalization"))};
  if (unrolling.recorded > unrolling.stacks ||
      unrolling.separation_recorded > unrolling.separation_stacks)
    throw Error(
        "demua: truncation must not exceed stacks (and separation_truncation not "
        "separation_stacks)");
  return std::make_unique<DemuaMethod>(phi, p.integer("components"), unrolling, training_options(p),
                                       integer(p, "train_initialisations"));
}

std::vector<ParameterSpec> schema() {
  std::vector<ParameterSpec> parameters = {
      choice_parameter("phi", "t", {"t", "ggd", "nn"},
                       "Phi: t (eq. 19, trains nu), ggd (eq. 20, trains beta) or nn (Fig. 3)"),
      real_parameter("nu", 4, 1e-6, 1e6, "initial nu of the t Phi (paper: 4 denoise, 1 separate)"),
      real_parameter("beta", 1.2, 1e-6, 10,
                     "initial beta of the GGD Phi (paper: 1.2 denoise, 0.1 separate)"),
      integer_parameter("width", 16, 1, 1024, "network Phi: width of each GLU layer's output"),
      integer_parameter("depth", 2, 1, 16, "network Phi: number of GLU layers"),
      choice_parameter("nn_init", "random", {"random", "t", "gaussian"},
                       "network Phi's start: random (paper 000), or fitted to the t Phi with "
                       "the initial nu, or to the Gaussian Phi = 0 (an extension)"),
      integer_parameter("components", 30, 1, 4096, "number of bases K (per source separating)"),
      choice_parameter("normalization", "after_w", {"after_w", "end", "end_rescale_h"},
                       "where W's columns are normalised (eq. 9); end: after the H update, "
                       "without rescaling H, as Algorithm 1 is printed"),
      integer_parameter("stacks", 300, 1, 100000,
                        "stacks T trained through (denoise), or T1 learning each source's "
                        "bases (separate, paper: 200)"),
      integer_parameter("truncation", 100, 0, 100000,
                        "back-propagation through the last L of those stacks (paper: 100 for "
                        "t and GGD, 30 for the network denoising, 10 separating)"),
      integer_parameter("separation_stacks", 100, 1, 100000,
                        "separate: stacks T2 fitting the activations when training"),
      integer_parameter("separation_truncation", 50, 0, 100000,
                        "separate: back-propagation through the last L2 of the T2 stacks "
                        "(paper: 50 for t and GGD, 10 for the network)"),
      integer_parameter("train_initialisations", 5, 1, 1000,
                        "fixed random starts of W and H that training draws from")};
  // Paper 000, sec. IV-A: Adam, batches of 10, learning rate 1e-2 for t and GGD (1e-4 for the
  // network), clipping at 1 (0.01 separating); no steps by default: the untrained rows.
  for (auto& p : training_parameters(
           {.optimizer = "adam", .learning_rate = 1e-2, .clip = 1, .steps = 0, .batch = 10}))
    parameters.push_back(std::move(p));
  return parameters;
}

}  // namespace

MethodRegistration demua_registration() {
  return {{"demua",
           "Deep multiplicative update algorithm (paper 000): complex-PDF NMF whose zeta = "
           "exp(Phi(r)) is trained end to end on SI-SDR (Phi: t, GGD or a GLU network)",
           {{Task::denoise, {.split = SplitLearning::end_to_end}},
            {Task::separate, {.per_example = true, .split = SplitLearning::end_to_end}}},
           schema()},
          make};
}

}  // namespace nmfbench::demua
