#pragma once

#include <array>
#include <string>

#include "methods/nmf/parts.hpp"
#include "methods/nmf/statistical_model.hpp"

namespace nmfbench::nmf {

// Where the column normalisation of W (paper 000, eq. 9) happens in an iteration.
//  after_w:       right after the W update (eq. 6), as the paper's text says;
//  end_rescale_h: after the H update, with H rescaled so that W H is unchanged;
//  end:           after the H update without rescaling H (Algorithm 1 as printed, and the
//                 DeMUA reference's default). It breaks Gaussian NMF (the model's scale never
//                 recovers), so the classic methods do not offer it.
enum class Normalization { after_w, end_rescale_h, end };
std::string to_string(Normalization n);
Normalization parse_normalization(std::string_view name);

// Paper 000's multiplicative updates (eqs. 6, 7, 9) with every buffer allocated once.
// Per update, one pass computes both weight arrays of the model (fused), and the numerator
// and denominator products share one product: [num; den] H^T for W, W^T [num, den] for H.
// The products are direct_product's, made for these shapes.
// Each update runs in the fixed parts of core/parts.hpp (rows of W, columns of H) in parallel,
// each part in the column tiles of nmf/parts.hpp. Parts and tiles depend on the problem size
// only, so W's sums over the tiles are added in the same order always.

class ComplexNmfSolver {
 public:
  ComplexNmfSolver(Eigen::Index bins, Eigen::Index frames, Eigen::Index components);
  Eigen::Index bins() const { return bins_; }
  Eigen::Index frames() const { return frames_; }
  Eigen::Index components() const { return components_; }

  // W (eq. 6), H (eq. 7), with eq. (9) placed by `placement`.
  void iterate(const Array& y, Array& w, Array& h, const StatisticalModel& model,
               Normalization placement);
  // The updates alone; separation fits activations with fixed bases through update_h.
  void update_w(const Array& y, Array& w, const Array& h, const StatisticalModel& model);
  void update_h(const Array& y, const Array& w, Array& h, const StatisticalModel& model);

 private:
  void check_sizes(const Array& w, const Array& h) const;

  Eigen::Index bins_, frames_, components_;
  // Per part, one tile's W H; for the W update (rows of W) [num; den] and the sum over the
  // tiles of [num; den] H^T; for the H update (columns of H) [num, den] and W^T [num, den].
  std::array<Array, kParts> yhat_, weights_w_, ratio_w_, weights_h_, ratio_h_;
  Array w_transposed_;
};

// W normalised to unit column sums (eq. 9); with `h`, H is rescaled so that W H is unchanged.
void normalize_bases(Array& w, Array* h = nullptr);

// Eq. (3): sum(log yhat - log f(y / yhat)), constants dropped. For the Gaussian model this is
// the Itakura-Saito divergence plus a constant.
Real complex_nmf_cost(const Array& y, const Array& w, const Array& h,
                      const StatisticalModel& model);

}  // namespace nmfbench::nmf
