#pragma once

// What a model sees of a spectrogram, shared by every family: |X|^p (magnitude or power),
// log compression, and left context (paper 001, sec. 3.1). Statistics learnt on training
// features (per-row mean and standard deviation) are part of a method's state.

#include "core/json.hpp"

namespace nmfbench {

// |X|^exponent elementwise: 1 the magnitude, 2 the power.
Array magnitude_features(const ComplexArray& x, Real exponent);

// log(features + floor) elementwise.
Array log_features(const Array& features, Real floor);

// Column t stacks frames t - context + 1 .. t, oldest first, so the last F rows are the
// current frame; frames before the first repeat frame 0 (paper 001, sec. 3.1).
Array stack_context(const Array& features, int context);

// Per-row standardisation learnt on training features: (x - mean) / std, with the population
// standard deviation (rows with none keep a divisor of 1).
struct FeatureStatistics {
  Array mean, std;  // rows x 1

  static FeatureStatistics fit(const Array& features);
  Array apply(const Array& features) const;
  Json to_json() const;
  // Throws Error naming `owner` and the field at fault.
  static FeatureStatistics from_json(const Json& json, const std::string& owner);
};

}  // namespace nmfbench
