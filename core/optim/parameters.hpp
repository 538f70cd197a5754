#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/autodiff/tape.hpp"
#include "core/json.hpp"

namespace nmfbench {

// Named trainable arrays with their gradients: what a method learns, what optimisers update
// and what is saved as trained state. Names are kept in insertion order.
class ParameterSet {
 public:
  // Throws Error on a duplicate name.
  void add(const std::string& name, Array value);
  bool contains(const std::string& name) const;
  Array& value(const std::string& name);
  const Array& value(const std::string& name) const;
  Array& grad(const std::string& name);
  const Array& grad(const std::string& name) const;
  const std::vector<std::string>& names() const { return order_; }
  // How many values the parameters hold together (a model's P).
  Eigen::Index value_count() const;

  // A gradient in non-negative parts, g = positive - negative, for multiplicative updates
  // (paper 001, eq. 10): sets grad(name) to their difference and keeps both. Throws Error
  // for a shape that is not the parameter's or a negative entry.
  void set_split_grad(const std::string& name, Array positive, Array negative);
  bool has_split_grad(const std::string& name) const;
  // Throws Error naming the parameter when it has no split gradient.
  const Array& grad_positive(const std::string& name) const;
  const Array& grad_negative(const std::string& name) const;

  // Puts every parameter on the tape as a variable, for one training step.
  std::map<std::string, ad::Var> bind(ad::Tape& tape) const;
  // Copies the gradients of bound variables after tape.backward().
  void collect_grads(const ad::Tape& tape, const std::map<std::string, ad::Var>& bound);
  void zero_grads();

  // {"name": {"rows": r, "cols": c, "data": [column-major values]}}; doubles round-trip exactly.
  Json to_json() const;
  // Throws Error naming the parameter and field at fault.
  static ParameterSet from_json(const Json& json);
  void save(const std::filesystem::path& path) const;
  static ParameterSet load(const std::filesystem::path& path);

 private:
  struct Entry {
    Array value, grad;
    Array positive, negative;  // the split gradient's parts; empty when it has none
  };
  const Entry& entry(const std::string& name) const;
  std::vector<std::string> order_;
  std::map<std::string, Entry> entries_;
};

}  // namespace nmfbench
