#include "methods/nmf/model_method.hpp"

namespace nmfbench::nmf {

ModelNmfMethod::ModelNmfMethod(Eigen::Index components, int train_iterations,
                               Normalization placement)
    : FactorisationMethod(components, train_iterations, 2), placement_(placement) {}

ComplexNmfSolver& ModelNmfMethod::solver(const Array& v, Eigen::Index components) {
  if (!solver_ || solver_->bins() != v.rows() || solver_->frames() != v.cols() ||
      solver_->components() != components)
    solver_ = std::make_unique<ComplexNmfSolver>(v.rows(), v.cols(), components);
  return *solver_;
}

void ModelNmfMethod::iterate(const Array& v, Array& w, Array& h) {
  solver(v, w.cols()).iterate(v, w, h, model(), placement_);
}

void ModelNmfMethod::iterate_h(const Array& v, const Array& w, Array& h) {
  solver(v, w.cols()).update_h(v, w, h, model());
}

}  // namespace nmfbench::nmf
