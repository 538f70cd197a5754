#pragma once

#include "methods/nmf/complex_nmf.hpp"
#include "methods/nmf/factorisation_method.hpp"

namespace nmfbench::nmf {

// Complex-PDF NMF's task flow for any statistical model: the classic models and DeMUA's
// trained Phi run on the same solver.
class ModelNmfMethod : public FactorisationMethod {
 public:
  ModelNmfMethod(Eigen::Index components, int train_iterations, Normalization placement);

 protected:
  virtual const StatisticalModel& model() const = 0;

 private:
  void iterate(const Array& v, Array& w, Array& h) override;
  void iterate_h(const Array& v, const Array& w, Array& h) override;
  // One workspace per problem size, allocated on first use and kept across iterations.
  ComplexNmfSolver& solver(const Array& v, Eigen::Index components);

  Normalization placement_;
  std::unique_ptr<ComplexNmfSolver> solver_;
};

}  // namespace nmfbench::nmf
