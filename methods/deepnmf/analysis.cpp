#include "methods/deepnmf/analysis.hpp"

#include "methods/nmf/beta_nmf.hpp"

namespace nmfbench::deepnmf {

Array initial_activations(const Array& wt, const Array& m) {
  const Real reconstruction = wt.rowwise().sum().mean();
  return Array::Constant(wt.cols(), m.cols(), m.mean() / std::max(reconstruction, kFloor));
}

Real analysis_objective(const Array& wt, const Array& m, const Array& h, Real beta, Real mu) {
  const Array l = (wt.matrix() * h.matrix()).array().max(kFloor);
  return nmf::beta_divergence(m, l, beta) + mu * h.sum();
}

std::vector<Array> current_frame_masks(const Array& output_bases, const Array& h,
                                       const std::vector<int>& sizes) {
  const WienerParts parts = wiener_parts(output_bases, h, sizes);
  std::vector<Array> masks;
  for (const Array& p : parts.p) masks.push_back(p / parts.q);
  return masks;
}

std::vector<ComplexArray> masked_sources(const std::vector<Array>& masks,
                                         const ComplexArray& mixture) {
  std::vector<ComplexArray> sources;
  for (const Array& mask : masks) sources.push_back(mixture * mask.cast<Complex>());
  return sources;
}

}  // namespace nmfbench::deepnmf
