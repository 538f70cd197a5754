#include "core/json.hpp"

#include <cmath>
#include <fstream>
#include <limits>

namespace nmfbench {

Json finite_or_string(Real value) {
  if (std::isnan(value)) return nullptr;
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return value;
}

Real number_from_json(const Json& value, const std::string& field) {
  if (value.is_number()) return value.get<Real>();
  if (value == "inf") return std::numeric_limits<Real>::infinity();
  if (value == "-inf") return -std::numeric_limits<Real>::infinity();
  if (value.is_null()) return std::numeric_limits<Real>::quiet_NaN();
  throw Error(field + ": expected a number, \"inf\" or \"-inf\", got " + value.dump());
}

Json read_json_file(const std::filesystem::path& path, const std::string& what) {
  std::ifstream in(path);
  if (!in) throw Error(what + " '" + path.string() + "': cannot be read");
  try {
    return Json::parse(in);
  } catch (const Json::parse_error& e) {
    throw Error(what + " '" + path.string() + "': not valid JSON (" + e.what() + ")");
  }
}

}  // namespace nmfbench
