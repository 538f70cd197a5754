#include "methods/nae/conv_nmf.hpp"

#include <string>

#include "core/direct_product.hpp"

namespace nmfbench::nae {
namespace {

Eigen::Index shifts(const Bases& w) {
  return static_cast<Eigen::Index>(w.size());
}

}  // namespace

HRule parse_h_rule(std::string_view name) {
  if (name == "sum") return HRule::sum;
  if (name == "average") return HRule::average;
  throw Error("H rule '" + std::string(name) + "': expected sum or average");
}

Array conv_model(const Bases& w, const Array& h) {
  const Eigen::Index n = h.cols();
  Array lambda = Array::Zero(w.front().rows(), n);
  for (Eigen::Index t = 0; t < std::min(shifts(w), n); ++t) {
    direct_product(columns_view(w[t]), strided_view(h.leftCols(n - t)),
                   output_view(lambda.rightCols(n - t)), true);
  }
  return lambda;
}

Real kl_cost(const Array& v, const Array& lambda) {
  return (v * (v / lambda).log() - v + lambda).sum();
}

void update_h(const Array& v, const Bases& w, Array& h, HRule rule) {
  const Array r = v / conv_model(w, h);
  const Eigen::Index n = h.cols();
  Array numerator = Array::Zero(h.rows(), n), denominator = Array::Zero(h.rows(), n);
  for (Eigen::Index t = 0; t < std::min(shifts(w), n); ++t) {
    const Array correlation = (w[t].matrix().transpose() * r.rightCols(n - t).matrix()).array();
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
  const Array r = v / conv_model(w, h);
  const Eigen::Index n = h.cols();
  for (Eigen::Index t = 0; t < std::min(shifts(w), n); ++t) {
    Array numerator(w[t].rows(), w[t].cols());
    direct_product(columns_view(r.rightCols(n - t)), strided_view(h.leftCols(n - t).transpose()),
                   output_view(numerator), false);
    const Array row_sums = h.leftCols(n - t).rowwise().sum().transpose();
    w[t] *= numerator.rowwise() / row_sums.row(0);
  }
}

void iterate(const Array& v, Bases& w, Array& h, HRule rule) {
  update_h(v, w, h, rule);
  update_w(v, w, h);
}

}  // namespace nmfbench::nae
