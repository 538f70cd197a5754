#include "methods/nmf/statistical_model.hpp"

#include <cmath>

#include "core/fast_pow.hpp"

namespace nmfbench::nmf {
namespace {

// One pass over the data writing both weight arrays: op(y, yhat, numerator, denominator) per
// element, yhat clamped to kFloor first, then finish(numerator, denominator, rows) on each
// column while it is in L1. Plain loops over contiguous columns vectorise.
template <typename Op, typename Finish>
void fused_weights(ConstBlock y, ConstBlock yhat, Block numerator, Block denominator, Op op,
                   Finish finish) {
  const Eigen::Index rows = y.rows();
  for (Eigen::Index j = 0; j < y.cols(); ++j) {
    const Real* __restrict yc = y.col(j).data();
    const Real* __restrict hc = yhat.col(j).data();
    Real* __restrict nc = numerator.col(j).data();
    Real* __restrict dc = denominator.col(j).data();
    for (Eigen::Index i = 0; i < rows; ++i) op(yc[i], std::max(hc[i], kFloor), nc[i], dc[i]);
    finish(nc, dc, rows);
  }
}

template <typename Op>
void fused_weights(ConstBlock y, ConstBlock yhat, Block numerator, Block denominator, Op op) {
  fused_weights(y, yhat, numerator, denominator, op, [](Real*, const Real*, Eigen::Index) {});
}

}  // namespace

void StatisticalModel::update_weights(ConstBlock y, ConstBlock yhat, Block numerator,
                                      Block denominator) const {
  denominator = yhat.max(kFloor).inverse();
  numerator = zeta(y * denominator) * y * denominator.square();
}

Array GaussianModel::zeta(const Array& r) const {
  return Array::Ones(r.rows(), r.cols());
}
Array GaussianModel::neg_log_f(const Array& r) const {
  return r;
}
void GaussianModel::update_weights(ConstBlock y, ConstBlock yhat, Block numerator,
                                   Block denominator) const {
  fused_weights(y, yhat, numerator, denominator, [](Real v, Real vhat, Real& num, Real& den) {
    den = 1 / vhat;
    num = v * den * den;
  });
}

StudentTModel::StudentTModel(Real nu) : nu_(nu) {
  if (!(nu > 0)) throw Error("t model: nu must be > 0, got " + std::to_string(nu));
}
Array StudentTModel::zeta(const Array& r) const {
  return (nu_ + 2) / (nu_ + 2 * r);
}
Array StudentTModel::neg_log_f(const Array& r) const {
  return (nu_ + 2) / 2 * (2 * r / nu_).log1p();
}
void StudentTModel::update_weights(ConstBlock y, ConstBlock yhat, Block numerator,
                                   Block denominator) const {
  // zeta y / yhat^2 = (nu + 2) y q and 1 / yhat = (nu yhat + 2 y) q with
  // q = 1 / (yhat (nu yhat + 2 y)): one division per element for both.
  const Real nu = nu_;
  fused_weights(y, yhat, numerator, denominator, [nu](Real v, Real vhat, Real& num, Real& den) {
    const Real mixed = nu * vhat + 2 * v;
    const Real q = 1 / (vhat * mixed);
    num = (nu + 2) * v * q;
    den = mixed * q;
  });
}

GgdModel::GgdModel(Real beta) : beta_(beta) {
  if (!(beta > 0)) throw Error("ggd model: beta must be > 0, got " + std::to_string(beta));
}
Array GgdModel::zeta(const Array& r) const {
  return pow_elementwise(r, (beta_ - 2) / 2);
}
Array GgdModel::neg_log_f(const Array& r) const {
  return 2 / beta_ * pow_elementwise(r, beta_ / 2);
}
void GgdModel::update_weights(ConstBlock y, ConstBlock yhat, Block numerator,
                              Block denominator) const {
  // zeta y / yhat^2 = r^(beta/2) / yhat with r = y / yhat: the ratio, then per column its
  // power in place and the division by yhat.
  const Real half_beta = beta_ / 2;
  fused_weights(
      y, yhat, numerator, denominator,
      [](Real v, Real vhat, Real& r, Real& den) {
        den = 1 / vhat;
        r = v * den;
      },
      [half_beta](Real* r, const Real* den, Eigen::Index rows) {
        pow_elementwise(r, half_beta, r, rows);
        for (Eigen::Index i = 0; i < rows; ++i) r[i] *= den[i];
      });
}

std::unique_ptr<StatisticalModel> make_model(const std::string& name, Real nu, Real beta) {
  if (name == "gaussian") return std::make_unique<GaussianModel>();
  if (name == "t") return std::make_unique<StudentTModel>(nu);
  if (name == "ggd") return std::make_unique<GgdModel>(beta);
  throw Error("unknown statistical model '" + name + "'; expected one of gaussian, t, ggd");
}

}  // namespace nmfbench::nmf
