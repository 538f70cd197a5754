#include "methods/nmf/beta_nmf.hpp"

#include "methods/nmf/complex_nmf.hpp"

namespace nmfbench::nmf {
namespace {

Array product(const Array& a, const Array& b) {
  return (a.matrix() * b.matrix()).array();
}

// x^p, with the exponents of the common divergences (IS, KL, Euclidean) spelled out: Eigen's
// pow() is a scalar std::pow per element, an order of magnitude slower.
Array power(const Array& x, Real p) {
  if (p == 0) return Array::Ones(x.rows(), x.cols());
  if (p == 1) return x;
  if (p == -1) return x.inverse();
  if (p == -2) return x.square().inverse();
  if (p == 2) return x.square();
  return x.pow(p);
}

Array l2_normalized(const Array& w) {
  return w.rowwise() / w.matrix().colwise().norm().array().max(kFloor);
}

}  // namespace

BetaNmf::BetaNmf(BetaNmfOptions options) : options_(options) {
  if (!(options.beta >= 0 && options.beta <= 2)) {
    throw Error("beta NMF: beta must be in [0, 2], got " + std::to_string(options.beta));
  }
  if (!(options.sparsity >= 0)) {
    throw Error("beta NMF: sparsity must be >= 0, got " + std::to_string(options.sparsity));
  }
}

Array BetaNmf::effective_bases(const Array& w) const {
  return options_.normalized_bases ? l2_normalized(w) : w;
}

void BetaNmf::update_h(const Array& v, const Array& w, Array& h) const {
  const Array wn = effective_bases(w);
  const Array lambda = product(wn, h).max(kFloor);
  const Real b = options_.beta;
  const Array numerator = (wn.matrix().transpose() * (v * power(lambda, b - 2)).matrix()).array();
  const Array denominator =
      (wn.matrix().transpose() * power(lambda, b - 1).matrix()).array() + options_.sparsity;
  h *= numerator / denominator.max(kFloor);
}

void BetaNmf::update_w(const Array& v, Array& w, const Array& h, Eigen::Index first_updated) const {
  const Real b = options_.beta;
  const Eigen::Index updated = w.cols() - first_updated;
  const Array wn = effective_bases(w);
  const Array lambda = product(wn, h).max(kFloor);
  const auto hu = h.bottomRows(updated).matrix().transpose();
  const Array p_ht = ((v * power(lambda, b - 2)).matrix() * hu).array();
  const Array q_ht = (power(lambda, b - 1).matrix() * hu).array();
  if (!options_.normalized_bases) {
    w.rightCols(updated) *= p_ht / q_ht.max(kFloor);
    return;
  }
  // The column sums 1 1^T (W~ o X) broadcast back over the rows.
  const Array wu = wn.rightCols(updated);
  const Array q_along = wu.rowwise() * (wu * q_ht).colwise().sum();
  const Array p_along = wu.rowwise() * (wu * p_ht).colwise().sum();
  w = wn;
  w.rightCols(updated) = wu * (p_ht + q_along) / (q_ht + p_along).max(kFloor);
  w = l2_normalized(w);
}

void BetaNmf::iterate(const Array& v, Array& w, Array& h) const {
  update_h(v, w, h);
  update_w(v, w, h);
}

Real BetaNmf::objective(const Array& v, const Array& w, const Array& h) const {
  return beta_divergence(v, product(effective_bases(w), h).max(kFloor), options_.beta) +
         options_.sparsity * h.sum();
}

Real beta_divergence(const Array& x, const Array& y, Real beta) {
  // The general form's x^2 + y^2 - 2 x y loses the digits of (x - y)^2 where x is near y, and
  // its three powers cost 2 % of a deep NMF training step.
  if (beta == 2) return 0.5 * (x - y).square().sum();
  if (beta == 0) return (x / y - (x / y).log() - 1).sum();
  if (beta == 1) return ((x > 0).select(x * (x / y).log(), Real(0)) - x + y).sum();
  return ((x.pow(beta) + (beta - 1) * y.pow(beta) - beta * x * y.pow(beta - 1)) /
          (beta * (beta - 1)))
      .sum();
}

}  // namespace nmfbench::nmf
