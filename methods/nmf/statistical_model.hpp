#pragma once

#include <memory>
#include <string>

#include "core/types.hpp"

namespace nmfbench::nmf {

// Guards every division in the updates: yhat and the update denominators are clamped from
// below to this. It is far below any power a spectrogram of real audio holds, so updates of
// well-posed problems are bit-identical to unguarded ones.
inline constexpr Real kFloor = 1e-30;

// Views of whole arrays or of blocks of them (the solver updates W and H in parts).
using ConstBlock = Eigen::Ref<const Array>;
using Block = Eigen::Ref<Array>;

// The statistical model of complex-PDF NMF (paper 000, sec. III-A): the density f of
// r = y / yhat enters the multiplicative updates only through
//   zeta(r) = -f'(r) / f(r) = exp(Phi(r))      (eqs. 8 and 12).
// The classic models fix Phi; DeMUA makes it trainable.
class StatisticalModel {
 public:
  virtual ~StatisticalModel() = default;
  virtual std::string name() const = 0;
  // zeta(r), elementwise.
  virtual Array zeta(const Array& r) const = 0;
  // -log f(r) up to a constant: its derivative is zeta, and the cost of eq. (3) is
  // sum(log yhat - log f(y / yhat)).
  virtual Array neg_log_f(const Array& r) const = 0;
  // The two weight arrays of the updates in one pass over the data:
  //   numerator = zeta(y / yhat) y / yhat^2,   denominator = 1 / yhat      (eqs. 6, 7),
  // with yhat clamped from below to kFloor. Implementations fuse the expression; the
  // default composes zeta().
  virtual void update_weights(ConstBlock y, ConstBlock yhat, Block numerator,
                              Block denominator) const;
};

// Phi = 0: zeta = 1, the complex Gaussian, i.e. Itakura-Saito NMF.
class GaussianModel final : public StatisticalModel {
 public:
  std::string name() const override { return "gaussian"; }
  Array zeta(const Array& r) const override;
  Array neg_log_f(const Array& r) const override;
  void update_weights(ConstBlock y, ConstBlock yhat, Block numerator,
                      Block denominator) const override;
};

// Complex Student's t with nu degrees of freedom (paper 000, eq. 19):
//   Phi(r) = -log((nu + 2r) / (nu + 2)),  zeta = (nu + 2) / (nu + 2r).
class StudentTModel final : public StatisticalModel {
 public:
  explicit StudentTModel(Real nu);
  std::string name() const override { return "t"; }
  Array zeta(const Array& r) const override;
  Array neg_log_f(const Array& r) const override;
  void update_weights(ConstBlock y, ConstBlock yhat, Block numerator,
                      Block denominator) const override;

 private:
  Real nu_;
};

// Complex generalised Gaussian with shape beta (paper 000, eq. 20):
//   Phi(r) = ((beta - 2) / 2) log r,  zeta = r^((beta - 2) / 2); beta = 2 is the Gaussian.
class GgdModel final : public StatisticalModel {
 public:
  explicit GgdModel(Real beta);
  std::string name() const override { return "ggd"; }
  Array zeta(const Array& r) const override;
  Array neg_log_f(const Array& r) const override;
  void update_weights(ConstBlock y, ConstBlock yhat, Block numerator,
                      Block denominator) const override;

 private:
  Real beta_;
};

// "gaussian", "t" (uses nu) or "ggd" (uses beta); anything else is an Error listing those.
std::unique_ptr<StatisticalModel> make_model(const std::string& name, Real nu, Real beta);

}  // namespace nmfbench::nmf
