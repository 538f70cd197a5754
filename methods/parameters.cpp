#include "methods/parameters.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace nmfbench {
namespace {

std::string number(Real v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  std::ostringstream out;
  out << v;
  return out.str();
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

std::string ParameterSpec::describe() const {
  switch (type) {
    case Type::real:
      return "real in [" + number(min) + ", " + number(max) + "], default " + default_value.dump();
    case Type::integer:
      return "integer in [" + number(min) + ", " + number(max) + "], default " +
             default_value.dump();
    case Type::boolean:
      return "boolean, default " + default_value.dump();
    case Type::choice:
      return "one of " + join(choices) + ", default " + default_value.get<std::string>();
  }
  return "";
}

ParameterSpec real_parameter(std::string name, Real default_value, Real min, Real max,
                             std::string doc) {
  return {std::move(name), ParameterSpec::Type::real, default_value, min, max, {}, std::move(doc)};
}
ParameterSpec integer_parameter(std::string name, long default_value, long min, long max,
                                std::string doc) {
  return {std::move(name),        ParameterSpec::Type::integer, default_value,
          static_cast<Real>(min), static_cast<Real>(max),       {},
          std::move(doc)};
}
ParameterSpec boolean_parameter(std::string name, bool default_value, std::string doc) {
  return {std::move(name), ParameterSpec::Type::boolean, default_value, 0, 1, {}, std::move(doc)};
}
ParameterSpec choice_parameter(std::string name, std::string default_value,
                               std::vector<std::string> choices, std::string doc) {
  return {std::move(name), ParameterSpec::Type::choice, default_value, 0, 0, std::move(choices),
          std::move(doc)};
}

ParameterValues ParameterValues::resolve(const std::vector<ParameterSpec>& schema,
                                         const Json& given, const std::string& owner) {
  if (!given.is_null() && !given.is_object()) {
    throw Error(owner + ": parameters must be a JSON object, got " + given.dump());
  }
  std::vector<std::string> names;
  for (const auto& spec : schema) names.push_back(spec.name);
  if (given.is_object()) {
    for (const auto& [key, value] : given.items()) {
      if (std::find(names.begin(), names.end(), key) == names.end()) {
        throw Error(owner + ": unknown parameter '" + key + "'; valid parameters: " + join(names));
      }
    }
  }
  ParameterValues out;
  for (const auto& spec : schema) {
    const Json value =
        given.is_object() && given.contains(spec.name) ? given[spec.name] : spec.default_value;
    const std::string where = owner + "." + spec.name;
    const std::string expected = "expected " + spec.describe();
    switch (spec.type) {
      case ParameterSpec::Type::real:
      case ParameterSpec::Type::integer: {
        const bool integral = spec.type == ParameterSpec::Type::integer;
        if (!value.is_number() || (integral && !value.is_number_integer())) {
          throw Error(where + ": got " + value.dump() + ", " + expected);
        }
        const Real v = value.get<Real>();
        if (!(v >= spec.min && v <= spec.max))
          throw Error(where + ": " + value.dump() + " is out of range, " + expected);
        break;
      }
      case ParameterSpec::Type::boolean:
        if (!value.is_boolean()) throw Error(where + ": got " + value.dump() + ", " + expected);
        break;
      case ParameterSpec::Type::choice:
        if (!value.is_string() || std::find(spec.choices.begin(), spec.choices.end(),
                                            value.get<std::string>()) == spec.choices.end()) {
          throw Error(where + ": got " + value.dump() + ", " + expected);
        }
        break;
    }
    out.values_[spec.name] = value;
  }
  return out;
}

const Json& ParameterValues::at(const std::string& name) const {
  if (!values_.contains(name))
    throw Error("parameter '" + name + "' is not in the method's schema");
  return values_[name];
}

Real ParameterValues::real(const std::string& name) const {
  return at(name).get<Real>();
}
long ParameterValues::integer(const std::string& name) const {
  return at(name).get<long>();
}
bool ParameterValues::boolean(const std::string& name) const {
  return at(name).get<bool>();
}
std::string ParameterValues::choice(const std::string& name) const {
  return at(name).get<std::string>();
}

}  // namespace nmfbench
