#include "core/json_field.hpp"

namespace nmfbench {
namespace {

// Appending avoids GCC 12's false -Wrestrict on "literal" + std::string (GCC bug 105329).
std::string range(long min, long max) {
  std::string text = "[";
  text += std::to_string(min);
  text += ", ";
  text += std::to_string(max);
  text += "]";
  return text;
}

std::string shortened(const Json& value) {
  constexpr std::size_t kLongest = 80;
  std::string text = value.dump();
  if (text.size() > kLongest) text = text.substr(0, kLongest) + "...";
  return text;
}

}  // namespace

void json_fail(const std::string& path, const Json& value, const std::string& expected) {
  throw Error(path + ": got " + shortened(value) + ", expected " + expected);
}

std::string json_string(const Json& value, const std::string& path) {
  if (!value.is_string()) json_fail(path, value, "a string");
  return value.get<std::string>();
}

long json_integer(const Json& value, const std::string& path, long min, long max) {
  const bool in_range =
      value.is_number_unsigned()
          ? max >= 0 && value.get<unsigned long>() <= static_cast<unsigned long>(max) &&
                (min <= 0 || value.get<unsigned long>() >= static_cast<unsigned long>(min))
          : value.is_number_integer() && value.get<long>() >= min && value.get<long>() <= max;
  if (!in_range) json_fail(path, value, "an integer in " + range(min, max));
  return value.get<long>();
}

Real json_number(const Json& value, const std::string& path, Real min, Real max) {
  if (!value.is_number() || !(value.get<Real>() >= min && value.get<Real>() <= max)) {
    json_fail(path, value,
              "a number in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  return value.get<Real>();
}

const Json& json_array(const Json& value, const std::string& path, const std::string& expected) {
  if (!value.is_array()) json_fail(path, value, expected);
  return value;
}

JsonObject::JsonObject(const Json& object, std::string path)
    : object_(object), path_(std::move(path)) {
  if (!object_.is_object()) json_fail(path_, object_, "an object");
}

const Json& JsonObject::get(const std::string& key) const {
  if (!has(key)) throw Error(at(key) + ": missing; it is required");
  return object_[key];
}

std::string JsonObject::string(const std::string& key, std::optional<std::string> fallback) const {
  if (!has(key) && fallback) return *fallback;
  return json_string(get(key), at(key));
}

long JsonObject::integer(const std::string& key, long min, long max,
                         std::optional<long> fallback) const {
  if (!has(key) && fallback) return *fallback;
  return json_integer(get(key), at(key), min, max);
}

Real JsonObject::number(const std::string& key, Real min, Real max,
                        std::optional<Real> fallback) const {
  if (!has(key) && fallback) return *fallback;
  return json_number(get(key), at(key), min, max);
}

void JsonObject::only(const std::set<std::string>& allowed) const {
  for (const auto& [key, value] : object_.items()) {
    if (!allowed.count(key)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      throw Error(at(key) + ": unknown field; expected one of " + list);
    }
  }
}

}  // namespace nmfbench
