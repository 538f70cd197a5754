#include "methods/deepnmf/layer.hpp"

#include <utility>

#include "core/direct_product.hpp"
#include "methods/nmf/parts.hpp"

namespace nmfbench::deepnmf {
namespace {

// The products are direct_product's, which reads its left operand's columns in place where
// Eigen packs both operands: 1.4x faster at the tied layers' shapes (9F x R by R x frames).
Array product(const Array& a, const Eigen::Ref<const Array>& b) {
  Array c(a.rows(), b.cols());
  direct_product(columns_view(a), strided_view(b), output_view(c), false);
  return c;
}
Array product_transposed(const Array& a, const Array& b) {
  Array c(a.rows(), b.rows());
  direct_product(columns_view(a), strided_view(b.transpose()), output_view(c), false);
  return c;
}

// L^e with the reference's exact special cases (the others differ in the last bits).
Array power(const Array& l, Real e) {
  if (e == 1) return l;
  if (e == -1) return l.inverse();
  if (e == -2) return (l * l).inverse();
  return l.pow(e);
}

Array indicator(const Array& raw) {
  return (raw >= kFloor).cast<Real>();
}

// Adds coefficient * term to the part its sign says.
void add_signed(SplitGradient& parts, Real coefficient, const Array& term) {
  if (coefficient > 0) parts.positive += coefficient * term;
  if (coefficient < 0) parts.negative -= coefficient * term;
}

}  // namespace

LayerBases layer_bases(Array w) {
  LayerBases out{std::move(w), {}, {}};
  out.w_t = out.w.transpose();
  out.sums = out.w.colwise().sum().transpose();
  return out;
}

NormalizedBases normalize_columns(const Array& w) {
  NormalizedBases out;
  out.norm = w.square().colwise().sum().sqrt();
  out.w = w.rowwise() / out.norm.row(0);
  return out;
}

Array update_layer(const LayerBases& bases, const Eigen::Ref<const Array>& a,
                   const Eigen::Ref<const Array>& m, Real beta, Real mu, LayerCache& c) {
  c.l_raw = product(bases.w, a);
  // L = max(W~ A, flr) is not kept: it is an exact max away from W~ A, and writing it out
  // took 4 % of a training step.
  if (beta == 1) {
    c.pm = m / c.l_raw.max(kFloor);
    c.num = product(bases.w_t, c.pm);
    c.den_raw = bases.sums.replicate(1, a.cols()) + mu;
  } else {
    const Array l = c.l_raw.max(kFloor);
    c.pm = beta == 2 ? Array(m) : Array(m * power(l, beta - 2));
    c.num = product(bases.w_t, c.pm);
    c.den_raw = product(bases.w_t, power(l, beta - 1)) + mu;
  }
  c.den = c.den_raw.max(kFloor);
  return (a * c.num) / c.den;
}

Array update_layer(const LayerBases& bases, const Eigen::Ref<const Array>& a,
                   const Eigen::Ref<const Array>& m, Real beta, Real mu) {
  Array h(a.rows(), a.cols());
  LayerCache scratch;
  nmf::for_each_tile({0, a.cols()}, [&](Part frames) {
    h.middleCols(frames.first, frames.size) =
        update_layer(bases, a.middleCols(frames.first, frames.size),
                     m.middleCols(frames.first, frames.size), beta, mu, scratch);
  });
  return h;
}

LayerParts update_layer_parts(const Array& g, const LayerBases& bases, const Array& a,
                              const Array& m, const LayerCache& c, Real beta) {
  const Array l = c.l_raw.max(kFloor), il = indicator(c.l_raw);
  const Array u = g * a / c.den;
  const Array v = g * a * c.num / (c.den * c.den) * indicator(c.den_raw);
  LayerParts out;
  out.a.positive = g * c.num / c.den;
  out.a.negative = Array::Zero(a.rows(), a.cols());
  out.w.positive = product_transposed(c.pm, u);
  // L^(b-1) V^T; for b = 1 every row is V's row sums.
  out.w.negative = beta == 1 ? Array(v.rowwise().sum().transpose().replicate(bases.w.rows(), 1))
                             : product_transposed(power(l, beta - 1), v);
  const Real c1 = beta - 2, c2 = beta - 1;
  if (c1 != 0) {
    const Array q1 = il * m * power(l, beta - 3) * product(bases.w, u);
    add_signed(out.a, c1, product(bases.w_t, q1));
    add_signed(out.w, c1, product_transposed(q1, a));
  }
  if (c2 != 0) {
    const Array wv = product(bases.w, v);
    const Array q2 = beta == 2 ? Array(il * wv) : Array(il * power(l, beta - 2) * wv);
    add_signed(out.a, -c2, product(bases.w_t, q2));
    add_signed(out.w, -c2, product_transposed(q2, a));
  }
  return out;
}

WienerParts wiener_parts(const Array& wt, const Array& h, const std::vector<int>& sizes) {
  WienerParts out;
  Eigen::Index r0 = 0;
  for (int r : sizes) {
    out.p.push_back(product(wt.middleCols(r0, r), h.middleRows(r0, r)));
    out.q_raw = r0 == 0 ? out.p.back() : Array(out.q_raw + out.p.back());
    r0 += r;
  }
  out.q = out.q_raw.max(kFloor);
  return out;
}

SplitGradient through_normalization(const SplitGradient& g, const NormalizedBases& b) {
  const Array along_negative = b.w.rowwise() * (b.w * g.negative).colwise().sum();
  const Array along_positive = b.w.rowwise() * (b.w * g.positive).colwise().sum();
  return {(g.positive + along_negative).rowwise() / b.norm.row(0),
          (g.negative + along_positive).rowwise() / b.norm.row(0)};
}

}  // namespace nmfbench::deepnmf
