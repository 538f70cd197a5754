#include "methods/nae/conv_nmf.hpp"

#include <string>

#include "core/array_math.hpp"
#include "core/direct_product.hpp"
#include "core/parts.hpp"

namespace nmfbench::nae {
namespace {

Eigen::Index shifts(const Bases& w) {
  return static_cast<Eigen::Index>(w.size());
}

// The T shifted products of each rule are one product each, of depth or width rT: with depth
// r alone, every one of the T products read and wrote a whole F x N array. The products run
// in the fixed parts of core/parts.hpp.
//
// [H^{0->}; H^{1->}; ..; H^{T-1->}], rT x N: Lambda = side_by_side(W) times it.
Array shifted_stack(const Array& h, Eigen::Index shifts) {
  const Eigen::Index r = h.rows(), n = h.cols();
  Array stack = Array::Zero(r * shifts, n);
  for (Eigen::Index t = 0; t < std::min(shifts, n); ++t)
    stack.block(t * r, t, r, n - t) = h.leftCols(n - t);
  return stack;
}

// Lambda, or V / Lambda with `v`.
Array model(const Array& w_all, const Array& stack, const Array* v) {
  Array out(w_all.rows(), stack.cols());
  for_each_part_of(
      out.cols(), multiply_adds(w_all.rows(), w_all.cols(), stack.cols()), [&](int, Part cols) {
        auto part = out.middleCols(cols.first, cols.size);
        direct_product(columns_view(w_all), strided_view(stack.middleCols(cols.first, cols.size)),
                       output_view(part), false);
        if (v) part = v->middleCols(cols.first, cols.size) / part;
      });
  return out;
}

}  // namespace

HRule parse_h_rule(std::string_view name) {
  if (name == "sum") return HRule::sum;
  if (name == "average") return HRule::average;
  throw Error("H rule '" + std::string(name) + "': expected sum or average");
}

Array conv_model(const Bases& w, const Array& h) {
  return model(side_by_side(w), shifted_stack(h, shifts(w)), nullptr);
}

Real kl_cost(const Array& v, const Array& lambda) {
  return (v * (v / lambda).log() - v + lambda).sum();
}

void update_h(const Array& v, const Bases& w, Array& h, HRule rule) {
  const Array w_all = side_by_side(w);
  const Array r = model(w_all, shifted_stack(h, shifts(w)), &v);
  const Eigen::Index n = h.cols(), k = h.rows();
  // Rows t k .. (t + 1) k - 1 of W_all^T R are W_t^T R; their columns t.. fall on H's 0...
  Array correlations(w_all.cols(), n);
  for_each_part_of(n, multiply_adds(w_all.cols(), r.rows(), n), [&](int, Part cols) {
    correlations.matrix().middleCols(cols.first, cols.size).noalias() =
        w_all.matrix().transpose() * r.matrix().middleCols(cols.first, cols.size);
  });
  Array numerator = Array::Zero(k, n), denominator = Array::Zero(k, n);
  for (Eigen::Index t = 0; t < std::min(shifts(w), n); ++t) {
    const auto correlation = correlations.block(t * k, t, k, n - t);
    const Array column_sums = w[t].colwise().sum().transpose();
    if (rule == HRule::sum) {
      numerator.leftCols(n - t) += correlation;
      denominator.leftCols(n - t).colwise() += column_sums.col(0);
    } else {
      numerator.leftCols(n - t) += correlation.colwise() / column_sums.col(0);
    }
  }
  if (rule == HRule::sum)
    h *= numerator / denominator;
  else
    h *= numerator / static_cast<Real>(shifts(w));
}

void update_w(const Array& v, Bases& w, const Array& h) {
  const Array stack = shifted_stack(h, shifts(w));
  const Array r = model(side_by_side(w), stack, &v);
  const Eigen::Index n = h.cols(), k = h.rows();
  // R stack^T = [R (H^{0->})^T .. R (H^{T-1->})^T], by parts of its rows.
  Array numerators(r.rows(), stack.rows());
  for_each_part_of(r.rows(), multiply_adds(r.rows(), r.cols(), numerators.cols()),
                   [&](int, Part rows) {
                     auto part = numerators.middleRows(rows.first, rows.size);
                     direct_product(columns_view(r.middleRows(rows.first, rows.size)),
                                    strided_view(stack.transpose()), output_view(part), false);
                   });
  for (Eigen::Index t = 0; t < std::min(shifts(w), n); ++t) {
    const Array row_sums = h.leftCols(n - t).rowwise().sum().transpose();
    w[t] *= numerators.middleCols(t * k, k).rowwise() / row_sums.row(0);
  }
}

void iterate(const Array& v, Bases& w, Array& h, HRule rule) {
  update_h(v, w, h, rule);
  update_w(v, w, h);
}

}  // namespace nmfbench::nae
