#pragma once

#include <optional>
#include <set>
#include <string>

#include "core/json.hpp"

namespace nmfbench {

// Reading user JSON with the path of every value in its errors ("spec.stft.hop: got 0,
// expected an integer in [1, 256]"), so that no message is a bare library error. Readers of a
// file catch Error and prefix the file's name.

// "<path>: got <value>, expected <expected>"; a long value is shortened.
[[noreturn]] void json_fail(const std::string& path, const Json& value,
                            const std::string& expected);

// Checked values: each throws via json_fail unless `value` has the type and range.
std::string json_string(const Json& value, const std::string& path);
// Integers are compared before any conversion, so 4294967297 or 1e300 never wraps into range.
long json_integer(const Json& value, const std::string& path, long min, long max);
Real json_number(const Json& value, const std::string& path, Real min, Real max);
const Json& json_array(const Json& value, const std::string& path, const std::string& expected);

// The fields of one JSON object.
class JsonObject {
 public:
  // Throws unless `object` is an object.
  JsonObject(const Json& object, std::string path);

  const std::string& path() const { return path_; }
  const Json& json() const { return object_; }
  bool has(const std::string& key) const { return object_.contains(key); }
  std::string at(const std::string& key) const { return path_ + "." + key; }
  // Throws "<path>.<key>: missing; it is required".
  const Json& get(const std::string& key) const;
  JsonObject object(const std::string& key) const { return {get(key), at(key)}; }
  const Json& array(const std::string& key, const std::string& expected) const {
    return json_array(get(key), at(key), expected);
  }
  std::string string(const std::string& key,
                     std::optional<std::string> fallback = std::nullopt) const;
  long integer(const std::string& key, long min, long max,
               std::optional<long> fallback = std::nullopt) const;
  Real number(const std::string& key, Real min, Real max,
              std::optional<Real> fallback = std::nullopt) const;
  // Throws for a field not in `allowed`, listing them.
  void only(const std::set<std::string>& allowed) const;

 private:
  const Json& object_;
  std::string path_;
};

}  // namespace nmfbench
