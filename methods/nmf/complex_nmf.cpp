#include "methods/nmf/complex_nmf.hpp"

#include "core/named_enum.hpp"

namespace nmfbench::nmf {
namespace {

constexpr EnumNames<Normalization, 3> kNormalizationNames{
    {{Normalization::after_w, "after_w"},
     {Normalization::end_rescale_h, "end_rescale_h"},
     {Normalization::end, "end"}}};

auto mat(Array& a) {
  return a.matrix();
}
auto mat(const Array& a) {
  return a.matrix();
}

}  // namespace

std::string to_string(Normalization n) {
  return enum_name(n, kNormalizationNames);
}
Normalization parse_normalization(std::string_view name) {
  return parse_enum(name, kNormalizationNames, "normalization");
}

ComplexNmfSolver::ComplexNmfSolver(Eigen::Index m, Eigen::Index n, Eigen::Index k)
    : yhat_(m, n),
      weights_w_(2 * m, n),
      weights_h_(m, 2 * n),
      ratio_w_(2 * m, k),
      ratio_h_(k, 2 * n) {}

void ComplexNmfSolver::model_product(const Array& w, const Array& h) {
  if (w.rows() != yhat_.rows() || h.cols() != yhat_.cols() || w.cols() != ratio_w_.cols() ||
      h.rows() != w.cols()) {
    throw Error("complex NMF: W is " + std::to_string(w.rows()) + "x" + std::to_string(w.cols()) +
                " and H " + std::to_string(h.rows()) + "x" + std::to_string(h.cols()) +
                ", expected " + std::to_string(yhat_.rows()) + "xK and Kx" +
                std::to_string(yhat_.cols()) + " with K = " + std::to_string(ratio_w_.cols()));
  }
  mat(yhat_).noalias() = mat(w) * mat(h);  // clamped by the models' update_weights
}

void ComplexNmfSolver::update_w(const Array& y, Array& w, const Array& h,
                                const StatisticalModel& model) {
  model_product(w, h);
  const Eigen::Index m = yhat_.rows();
  model.update_weights(y, yhat_, weights_w_.topRows(m), weights_w_.bottomRows(m));
  mat(ratio_w_).noalias() = mat(weights_w_) * mat(h).transpose();  // eq. (6), both sums at once
  w *= ratio_w_.topRows(m) / ratio_w_.bottomRows(m).max(kFloor);
}

void ComplexNmfSolver::update_h(const Array& y, const Array& w, Array& h,
                                const StatisticalModel& model) {
  model_product(w, h);
  const Eigen::Index n = yhat_.cols();
  model.update_weights(y, yhat_, weights_h_.leftCols(n), weights_h_.rightCols(n));
  mat(ratio_h_).noalias() = mat(w).transpose() * mat(weights_h_);  // eq. (7), both sums at once
  h *= ratio_h_.leftCols(n) / ratio_h_.rightCols(n).max(kFloor);
}

void ComplexNmfSolver::iterate(const Array& y, Array& w, Array& h, const StatisticalModel& model,
                               Normalization placement) {
  update_w(y, w, h, model);
  if (placement == Normalization::after_w) normalize_bases(w);
  update_h(y, w, h, model);
  if (placement == Normalization::end_rescale_h) normalize_bases(w, &h);
  if (placement == Normalization::end) normalize_bases(w);
}

void normalize_bases(Array& w, Array* h) {
  const Array sums = w.colwise().sum().max(kFloor);
  w.rowwise() /= sums.row(0);
  if (h) h->colwise() *= sums.row(0).transpose();
}

Real complex_nmf_cost(const Array& y, const Array& w, const Array& h,
                      const StatisticalModel& model) {
  const Array yhat = (w.matrix() * h.matrix()).array().max(kFloor);
  return (yhat.log() + model.neg_log_f(y / yhat)).sum();
}

}  // namespace nmfbench::nmf
