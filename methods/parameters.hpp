#pragma once

#include <limits>
#include <string>
#include <vector>

#include "core/json.hpp"

namespace nmfbench {

// One parameter of a method, declared once: `nmfbench list`, spec validation and error
// messages all read this declaration.
struct ParameterSpec {
  enum class Type { real, integer, boolean, choice };
  std::string name;
  Type type = Type::real;
  Json default_value;
  Real min = -std::numeric_limits<Real>::infinity();  // inclusive bounds of real and integer
  Real max = std::numeric_limits<Real>::infinity();
  std::vector<std::string> choices;  // the valid values of a choice
  std::string doc;

  // "real in [0, 2], default 1" and the like.
  std::string describe() const;
};

ParameterSpec real_parameter(std::string name, Real default_value, Real min, Real max,
                             std::string doc);
ParameterSpec integer_parameter(std::string name, long default_value, long min, long max,
                                std::string doc);
ParameterSpec boolean_parameter(std::string name, bool default_value, std::string doc);
ParameterSpec choice_parameter(std::string name, std::string default_value,
                               std::vector<std::string> choices, std::string doc);

// Parameter values checked against a schema, every parameter present (defaults filled in).
class ParameterValues {
 public:
  // Throws Error naming `owner` and the parameter for an unknown name (listing the valid
  // ones), a value of the wrong type, or one out of range.
  static ParameterValues resolve(const std::vector<ParameterSpec>& schema, const Json& given,
                                 const std::string& owner);

  Real real(const std::string& name) const;
  long integer(const std::string& name) const;
  bool boolean(const std::string& name) const;
  std::string choice(const std::string& name) const;
  // The resolved values in schema order, for results and cache keys.
  const Json& json() const { return values_; }

 private:
  const Json& at(const std::string& name) const;
  Json values_ = Json::object();
};

}  // namespace nmfbench
