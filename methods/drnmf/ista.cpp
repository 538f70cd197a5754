#include "methods/drnmf/ista.hpp"

namespace nmfbench::drnmf {

Ista::Ista(const Array& w, IstaOptions options) : w_(w), options_(options) {
  if (!(options.alpha > 0))
    throw Error("ISTA: alpha must be > 0, got " + std::to_string(options.alpha));
  if (!(options.lambda >= 0))
    throw Error("ISTA: lambda must be >= 0, got " + std::to_string(options.lambda));
  const auto n = w.cols();
  gram_ = (Eigen::MatrixXd::Identity(n, n) - w.matrix().transpose() * w.matrix() / options.alpha)
              .array();
}

void Ista::iterate(const Array& x, Array& h) const {
  // The input term and the threshold together: W^T x / alpha - lambda / alpha.
  const Array input = (w_.matrix().transpose() * x.matrix()).array() / options_.alpha -
                      options_.lambda / options_.alpha;
  h = ((gram_.matrix() * h.matrix()).array() + input).max(0);
}

Array Ista::warm_start(const Array& x, const Array& h0, int iterations) const {
  const Array input = (w_.matrix().transpose() * x.matrix()).array() / options_.alpha -
                      options_.lambda / options_.alpha;
  Array out(w_.cols(), x.cols());
  Eigen::VectorXd h = h0.matrix().col(0);
  for (Eigen::Index t = 0; t < x.cols(); ++t) {
    for (int k = 0; k < iterations; ++k)
      h = (gram_.matrix() * h + input.matrix().col(t)).cwiseMax(0);
    out.col(t) = h.array();
  }
  return out;
}

Real Ista::objective(const Array& x, const Array& h) const {
  return 0.5 * (x.matrix() - w_.matrix() * h.matrix()).squaredNorm() + options_.lambda * h.sum();
}

}  // namespace nmfbench::drnmf
