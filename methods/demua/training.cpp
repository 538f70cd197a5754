#include "methods/demua/training.hpp"

#include "core/autodiff/ops.hpp"
#include "methods/demua/unrolled.hpp"

namespace nmfbench::demua {
namespace {

Array power(const ComplexArray& spectrogram) {
  return spectrogram.abs2().max(nmf::kFloor);
}

}  // namespace

LossAndGradient denoise_loss(const Phi& phi, const Stft& stft, const TrainingItem& item,
                             const Unrolling& unrolling, const Initialiser& init) {
  const ComplexArray spectrogram = stft.forward(item.mixture);
  const Observation y(power(spectrogram));
  Array w, h;
  init(y.y, w, h);
  LossAndGradient result{0, phi.zero_gradient()};
  ad::Tape tape;
  const Factors f = run_stacks(tape, y, std::move(w), std::move(h), phi, unrolling.placement,
                               unrolling.stacks, unrolling.recorded, result.gradient);
  // Eq. (15): the model's magnitude with the observation's phase.
  const ad::Var gain = ad::sqrt(ad::matmul(f.w, f.h) * tape.constant(y.y.inverse()));
  const ad::Var estimate = ad::istft(ad::apply_mask(gain, spectrogram), stft, item.mixture.size());
  const ad::Var loss = ad::loss_ma(item.references.at(0), estimate);
  result.loss = loss.scalar();
  tape.backward(loss);
  phi.finish_gradient(result.gradient);
  return result;
}

LossAndGradient separation_loss(const Phi& phi, const Stft& stft, const TrainingItem& item,
                                const Unrolling& unrolling, const Initialiser& init,
                                const ActivationInitialiser& init_activations) {
  const std::size_t sources = item.source_training.size();
  if (sources == 0 || item.references.size() != sources)
    throw Error("DeMUA separation training: expected training audio and a reference per source");
  LossAndGradient result{0, phi.zero_gradient()};
  ad::Tape tape;
  // Training stage: each source's bases, recorded over their last L1 stacks.
  std::vector<Observation> training;
  training.reserve(sources);  // the tape's closures refer to these
  std::vector<ad::Var> bases;
  for (std::size_t l = 0; l < sources; ++l) {
    training.emplace_back(power(stft.forward(item.source_training[l])));
    Array w, h;
    init(training.back().y, w, h);
    bases.push_back(run_stacks(tape, training.back(), std::move(w), std::move(h), phi,
                               unrolling.placement, unrolling.stacks, unrolling.recorded,
                               result.gradient)
                        .w);
  }
  const ad::Var all_bases = ad::concat_cols(bases);
  // Separation stage: the activations of the fixed bases on the mixture (eq. 7 only).
  const ComplexArray spectrogram = stft.forward(item.mixture);
  const Observation x(power(spectrogram));
  Array u = init_activations(x.y, all_bases.value());
  {
    const auto model = phi.model();
    nmf::ComplexNmfSolver solver(x.y.rows(), x.y.cols(), u.rows());
    for (int t = 0; t < unrolling.separation_stacks - unrolling.separation_recorded; ++t)
      solver.update_h(x.y, all_bases.value(), u, *model);
  }
  ad::Var activations = tape.variable(std::move(u));
  for (int t = 0; t < unrolling.separation_recorded; ++t)
    activations = update_h(x, all_bases, activations, phi, result.gradient);
  // Eq. (17) and M_b (eq. 18), the mean of M_a over the sources.
  const ad::Var total = ad::matmul(all_bases, activations);
  ad::Var loss;
  const Eigen::Index k = bases.front().cols();
  for (std::size_t l = 0; l < sources; ++l) {
    const auto first = static_cast<Eigen::Index>(l) * k;
    const ad::Var part = ad::matmul(bases[l], ad::slice_rows(activations, first, k)) / total;
    const ad::Var estimate =
        ad::istft(ad::apply_mask(part, spectrogram), stft, item.mixture.size());
    const ad::Var term = ad::loss_ma(item.references[l], estimate) / static_cast<Real>(sources);
    loss = l == 0 ? term : loss + term;
  }
  result.loss = loss.scalar();
  tape.backward(loss);
  phi.finish_gradient(result.gradient);
  return result;
}

}  // namespace nmfbench::demua
