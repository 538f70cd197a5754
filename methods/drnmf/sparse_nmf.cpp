#include "methods/drnmf/sparse_nmf.hpp"

#include <cmath>
#include <limits>

#include "methods/nmf/beta_nmf.hpp"

namespace nmfbench::drnmf {
namespace {

constexpr Real kFloor = 1e-9;  // the sparse NMF code's flr

nmf::BetaNmf squared_error_nmf(Real sparsity) {
  return nmf::BetaNmf({.beta = 2, .sparsity = sparsity, .normalized_bases = true});
}

}  // namespace

SparseNmfResult sparse_nmf(const Array& v, const Array& w0, const Array& h0,
                           const SparseNmfOptions& options) {
  if (w0.rows() != v.rows() || h0.rows() != w0.cols() || h0.cols() != v.cols())
    throw Error("sparse NMF: V is " + std::to_string(v.rows()) + " x " + std::to_string(v.cols()) +
                ", W0 " + std::to_string(w0.rows()) + " x " + std::to_string(w0.cols()) + ", H0 " +
                std::to_string(h0.rows()) + " x " + std::to_string(h0.cols()) +
                "; expected V = F x T, W0 = F x N, H0 = N x T");
  const nmf::BetaNmf nmf = squared_error_nmf(options.sparsity);
  const Eigen::Array<Real, 1, Eigen::Dynamic> norms = w0.matrix().colwise().norm().array();
  SparseNmfResult r{w0.rowwise() / norms, h0.colwise() * norms.transpose(), {}, {}};
  Real last = std::numeric_limits<Real>::infinity();
  for (int it = 0; it < options.max_iterations; ++it) {
    nmf.update_h(v, r.w, r.h);
    if (options.first_updated < r.w.cols()) nmf.update_w(v, r.w, r.h, options.first_updated);
    const Array l = (r.w.matrix() * r.h.matrix()).array().max(kFloor);
    const Real divergence = (v - l).square().sum();
    const Real cost = divergence + options.sparsity * r.h.sum();
    r.cost.push_back(cost);
    r.divergence.push_back(divergence);
    if (it > 0 && options.conv_eps > 0 && std::abs(cost - last) / last < options.conv_eps) break;
    last = cost;
  }
  return r;
}

Array sparse_nmf_mask(const Array& x, const Array& w, const Array& h0, Eigen::Index speech,
                      Real sparsity, int iterations) {
  const nmf::BetaNmf nmf = squared_error_nmf(sparsity);
  Array h = h0;
  for (int it = 0; it < iterations; ++it) nmf.update_h(x, w, h);
  const Array yhat = (w.leftCols(speech).matrix() * h.topRows(speech).matrix()).array();
  const Array vhat =
      (w.rightCols(w.cols() - speech).matrix() * h.bottomRows(h.rows() - speech).matrix()).array();
  return yhat / (1e-9 + yhat + vhat);
}

}  // namespace nmfbench::drnmf
