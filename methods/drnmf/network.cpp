#include "methods/drnmf/network.hpp"

#include <optional>

#include "core/autodiff/ops.hpp"

namespace nmfbench::drnmf {
namespace {

constexpr Real kInitEps = 1e-7;  // the code's log(1e-7 + w) initialisation

std::string layer_name(int k) {
  return "Wr" + std::to_string(k + 1);
}

// The network on the tape, from the raw parameters: the recurrence and the speech mask,
// F x B T (padded columns hold unscored values).
struct Graph {
  UnfoldedIsta ista;
  ad::Var mask;
};

Graph graph(const std::map<std::string, ad::Var>& p, const ad::Var& x, Eigen::Index sequences,
            const NetworkOptions& o) {
  std::vector<ad::Var> w;
  for (int k = 0; k < o.ista.layers; ++k)
    w.push_back(ad::normalize_columns_l2(ad::exp(p.at(layer_name(k)))));
  UnfoldedIsta ista =
      unfolded_ista(x, w, ad::exp(p.at("ar")), ad::softplus(p.at("h0r")), sequences, o.ista);
  const Eigen::Index ny = o.speech, n = ista.top.rows();
  const ad::Var speech =
      o.mask_eps + ad::matmul(ad::exp(p.at("Wyr")), ad::slice_rows(ista.top, 0, ny));
  const ad::Var noise = ad::matmul(ad::exp(p.at("Wvr")), ad::slice_rows(ista.top, ny, n - ny));
  const ad::Var mask = speech / (speech + noise);
  return {std::move(ista), mask};
}

}  // namespace

ParameterSet initial_parameters(const Array& w, Real alpha, const NetworkOptions& options,
                                const Array& uniform) {
  if (options.speech < 1 || options.speech >= w.cols())
    throw Error("DR-NMF: " + std::to_string(options.speech) + " speech bases of " +
                std::to_string(w.cols()) + "; expected between 1 and N - 1");
  ParameterSet p;
  const Array log_w = (kInitEps + w).log();
  for (int k = 0; k < options.ista.layers; ++k) p.add(layer_name(k), log_w);
  p.add("ar", Array::Constant(options.ista.layers, 1, std::log(kInitEps + alpha)));
  p.add("h0r", 0.1 * uniform - 0.05);
  p.add("Wyr", log_w.leftCols(options.speech));
  p.add("Wvr", log_w.rightCols(w.cols() - options.speech));
  return p;
}

Forward Network::forward(const ParameterSet& parameters, const SequenceBatch& batch) const {
  ad::Tape tape;
  const ad::NoGradScope inference(tape);
  const Graph g = graph(parameters.bind(tape), tape.constant(batch.x), batch.sequences, options_);
  Forward out{*g.ista.lower, g.mask.value()};
  out.h.push_back(g.ista.top.value());
  for (Eigen::Index c = 0; c < out.mask.cols(); ++c)
    if (!batch.valid(c)) out.mask.col(c).setZero();
  return out;
}

Real Network::loss(ParameterSet& parameters, const SequenceBatch& batch, bool gradient) const {
  ad::Tape tape;
  std::optional<ad::NoGradScope> evaluation;
  if (!gradient) evaluation.emplace(tape);
  const auto w = parameters.bind(tape);
  const ad::Var x = tape.constant(batch.x);
  const Graph g = graph(w, x, batch.sequences, options_);
  const Real scale = 1.0 / static_cast<Real>(batch.x.rows() * batch.valid_frames());
  // x and y are zero on padding, so padded columns add nothing.
  const ad::Var loss = ad::sum(ad::square(tape.constant(batch.y) - g.mask * x)) * scale;
  if (gradient) {
    tape.backward(loss);
    parameters.collect_grads(tape, w);
  }
  return loss.scalar();
}

}  // namespace nmfbench::drnmf
