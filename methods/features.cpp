#include "methods/features.hpp"

#include "core/optim/parameters.hpp"

namespace nmfbench {

Array magnitude_features(const ComplexArray& x, Real exponent) {
  const Array magnitude = x.abs();
  return exponent == 1 ? magnitude : Array(magnitude.pow(exponent));
}

Array log_features(const Array& features, Real floor) {
  return (features + floor).log();
}

Array stack_context(const Array& features, int context) {
  if (context < 1)
    throw Error("context: expected at least 1 frame, got " + std::to_string(context));
  const Eigen::Index f = features.rows(), n = features.cols();
  Array stacked(f * context, n);
  for (int c = 0; c < context; ++c) {
    const Eigen::Index lag = context - 1 - c;  // block c holds frame t - lag
    for (Eigen::Index t = 0; t < n; ++t)
      stacked.block(c * f, t, f, 1) = features.col(std::max<Eigen::Index>(t - lag, 0));
  }
  return stacked;
}

FeatureStatistics FeatureStatistics::fit(const Array& features) {
  FeatureStatistics s;
  const auto n = static_cast<Real>(features.cols());
  s.mean = features.rowwise().sum() / n;
  const Array centred = features.colwise() - s.mean.col(0);
  s.std = (centred.square().rowwise().sum() / n).sqrt();
  s.std = (s.std > 0).select(s.std, Array::Ones(s.std.rows(), 1));
  return s;
}

Array FeatureStatistics::apply(const Array& features) const {
  if (features.rows() != mean.rows())
    throw Error("feature statistics: learnt for " + std::to_string(mean.rows()) +
                " rows, applied to " + std::to_string(features.rows()));
  return (features.colwise() - mean.col(0)).colwise() / std.col(0);
}

Json FeatureStatistics::to_json() const {
  ParameterSet set;
  set.add("mean", mean);
  set.add("std", std);
  return set.to_json();
}

FeatureStatistics FeatureStatistics::from_json(const Json& json, const std::string& owner) {
  try {
    const ParameterSet set = ParameterSet::from_json(json);
    FeatureStatistics s{set.value("mean"), set.value("std")};
    if (s.mean.rows() != s.std.rows() || s.mean.cols() != 1 || s.std.cols() != 1 ||
        !(s.std > 0).all())
      throw Error("expected mean and std as equal columns, std > 0");
    return s;
  } catch (const Error& e) {
    throw Error(owner + ": feature statistics: " + e.what());
  }
}

}  // namespace nmfbench
