#pragma once

// Paper 000's multiplicative updates (eqs. 6, 7, 9) written once for plain arrays and for
// autodiff Vars. With arrays it is the naive twin that the tests compare ComplexNmfSolver
// with; with Vars it is what DeMUA unrolls and trains through, Phi being a function of Vars.
// `zeta` maps r = y / yhat to exp(Phi(r)).

#include "core/autodiff/ops.hpp"
#include "methods/nmf/complex_nmf.hpp"

namespace nmfbench::nmf::mu {

inline Array product(const Array& a, const Array& b, bool ta, bool tb) {
  const auto A = a.matrix();
  const auto B = b.matrix();
  if (ta && tb) return (A.transpose() * B.transpose()).array();
  if (ta) return (A.transpose() * B).array();
  if (tb) return (A * B.transpose()).array();
  return (A * B).array();
}
inline ad::Var product(const ad::Var& a, const ad::Var& b, bool ta, bool tb) {
  return ad::matmul(a, b, ta, tb);
}

// Column sums as a K x 1 column, so that H's rows can be rescaled by them.
inline Array column_sums_column(const Array& w) {
  return w.colwise().sum().transpose();
}
inline ad::Var column_sums_column(const ad::Var& w) {
  return ad::matmul(w, w.tape().constant(Array::Ones(w.rows(), 1)), true, false);
}
inline Array scale_rows(const Array& h, const Array& s) {
  return h.colwise() * s.col(0);
}
inline ad::Var scale_rows(const ad::Var& h, const ad::Var& s) {
  return h * s;
}
inline Array divide_columns(const Array& w, const Array& s) {
  return w.rowwise() / s.col(0).transpose();
}
inline ad::Var divide_columns(const ad::Var& w, const ad::Var& /*sums*/) {
  return ad::normalize_columns_sum(w);
}

template <typename T, typename Zeta>
T update_w(const T& y, const T& w, const T& h, const Zeta& zeta) {
  const T yhat = product(w, h, false, false);
  const T r = y / yhat;
  return w * product(zeta(r) * r / yhat, h, false, true) /
         product(1.0 / yhat, h, false, true);  // eq. (6)
}

template <typename T, typename Zeta>
T update_h(const T& y, const T& w, const T& h, const Zeta& zeta) {
  const T yhat = product(w, h, false, false);
  const T r = y / yhat;
  return h * product(w, zeta(r) * r / yhat, true, false) /
         product(w, 1.0 / yhat, true, false);  // eq. (7)
}

// Eq. (9) where `placement` puts it: normalize_after_w follows the W update, normalize_at_end
// the H update. DeMUA's recorded stacks, whose updates are single tape nodes, use them too.
template <typename T>
void normalize_after_w(T& w, Normalization placement) {
  if (placement == Normalization::after_w) w = divide_columns(w, column_sums_column(w));
}
template <typename T>
void normalize_at_end(T& w, T& h, Normalization placement) {
  if (placement == Normalization::end_rescale_h) {
    const T sums = column_sums_column(w);
    w = divide_columns(w, sums);
    h = scale_rows(h, sums);
  }
  if (placement == Normalization::end) w = divide_columns(w, column_sums_column(w));
}

// One iteration; W and H are replaced by their updates.
template <typename T, typename Zeta>
void iterate(const T& y, T& w, T& h, const Zeta& zeta, Normalization placement) {
  w = update_w(y, w, h, zeta);
  normalize_after_w(w, placement);
  h = update_h(y, w, h, zeta);
  normalize_at_end(w, h, placement);
}

}  // namespace nmfbench::nmf::mu
