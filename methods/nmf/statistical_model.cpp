#include "methods/nmf/statistical_model.hpp"

#include <cmath>

namespace nmfbench::nmf {

void StatisticalModel::update_weights(const Array& y, const Array& yhat,
                                      Eigen::Ref<Array> numerator,
                                      Eigen::Ref<Array> denominator) const {
  denominator = yhat.inverse();
  numerator = zeta(y * denominator) * y * denominator.square();
}

Array GaussianModel::zeta(const Array& r) const {
  return Array::Ones(r.rows(), r.cols());
}
Array GaussianModel::neg_log_f(const Array& r) const {
  return r;
}
void GaussianModel::update_weights(const Array& y, const Array& yhat, Eigen::Ref<Array> numerator,
                                   Eigen::Ref<Array> denominator) const {
  denominator = yhat.inverse();
  numerator = y * denominator.square();
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
void StudentTModel::update_weights(const Array& y, const Array& yhat, Eigen::Ref<Array> numerator,
                                   Eigen::Ref<Array> denominator) const {
  denominator = yhat.inverse();
  // zeta y / yhat^2 = (nu + 2) y / (yhat (nu yhat + 2 y)): one division per element.
  numerator = (nu_ + 2) * y * denominator / (nu_ * yhat + 2 * y);
}

GgdModel::GgdModel(Real beta) : beta_(beta) {
  if (!(beta > 0)) throw Error("ggd model: beta must be > 0, got " + std::to_string(beta));
}
Array GgdModel::zeta(const Array& r) const {
  return ((beta_ - 2) / 2 * r.log()).exp();
}
Array GgdModel::neg_log_f(const Array& r) const {
  return 2 / beta_ * (beta_ / 2 * r.log()).exp();
}
void GgdModel::update_weights(const Array& y, const Array& yhat, Eigen::Ref<Array> numerator,
                              Eigen::Ref<Array> denominator) const {
  denominator = yhat.inverse();
  // zeta y / yhat^2 = r^(beta/2) / yhat with r = y / yhat; exp and log vectorise, pow does not.
  numerator = (beta_ / 2 * (y * denominator).log()).exp() * denominator;
}

std::unique_ptr<StatisticalModel> make_model(const std::string& name, Real nu, Real beta) {
  if (name == "gaussian") return std::make_unique<GaussianModel>();
  if (name == "t") return std::make_unique<StudentTModel>(nu);
  if (name == "ggd") return std::make_unique<GgdModel>(beta);
  throw Error("unknown statistical model '" + name + "'; expected one of gaussian, t, ggd");
}

}  // namespace nmfbench::nmf
