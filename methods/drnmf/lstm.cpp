#include "methods/drnmf/lstm.hpp"

#include "core/autodiff/ops.hpp"
#include "core/random.hpp"

namespace nmfbench::drnmf {
namespace {

std::string name(const char* base, int layer) {
  return base + std::to_string(layer + 1);
}

// The mask, F x B T: the stacked layers, one tape node each, then the sigmoid output layer,
// zeroed on padded columns.
ad::Var mask_on(ad::Tape& tape, const std::map<std::string, ad::Var>& w, const SequenceBatch& batch,
                const LstmOptions& o) {
  ad::Var h = tape.constant(batch.x);
  for (int l = 0; l < o.layers; ++l)
    h = ad::lstm(h, w.at(name("W_ih", l)), w.at(name("W_hh", l)),
                 w.at(name("b_ih", l)) + w.at(name("b_hh", l)), batch.sequences, o.hard_sigmoid);
  Array valid(1, batch.x.cols());
  for (Eigen::Index c = 0; c < valid.cols(); ++c) valid(0, c) = batch.valid(c) ? 1 : 0;
  return ad::sigmoid(ad::matmul(w.at("W_out"), h) + w.at("b_out")) * tape.constant(valid);
}

}  // namespace

ParameterSet lstm_parameters(Eigen::Index bins, const LstmOptions& o, RandomStream& rng) {
  const Real a = 1 / std::sqrt(static_cast<Real>(o.hidden));
  const Eigen::Index H = o.hidden;
  ParameterSet p;
  for (int l = 0; l < o.layers; ++l) {
    p.add(name("W_ih", l), rng.uniform_array(4 * H, l == 0 ? bins : H, -a, a));
    p.add(name("W_hh", l), rng.uniform_array(4 * H, H, -a, a));
    p.add(name("b_ih", l), rng.uniform_array(4 * H, 1, -a, a));
    p.add(name("b_hh", l), rng.uniform_array(4 * H, 1, -a, a));
  }
  p.add("W_out", rng.uniform_array(bins, H, -a, a));
  p.add("b_out", rng.uniform_array(bins, 1, -a, a));
  return p;
}

Array Lstm::mask(const ParameterSet& parameters, const SequenceBatch& batch) const {
  ad::Tape tape;
  const ad::NoGradScope inference(tape);
  return mask_on(tape, parameters.bind(tape), batch, options_).value();
}

Real Lstm::loss(ParameterSet& p, const SequenceBatch& batch, bool gradient) const {
  ad::Tape tape;
  const auto w = p.bind(tape);
  const ad::Var mask = mask_on(tape, w, batch, options_);
  const auto n = static_cast<Real>(batch.valid_frames());
  const Real scale =
      static_cast<Real>(batch.x.cols()) / (static_cast<Real>(batch.x.rows()) * n * n);
  // y and the mask are zero on padding, so padded columns add nothing.
  const ad::Var loss =
      ad::sum(ad::square(tape.constant(batch.y) - mask * tape.constant(batch.x))) * scale;
  if (gradient) {
    tape.backward(loss);
    p.collect_grads(tape, w);
  }
  return loss.scalar();
}

}  // namespace nmfbench::drnmf
