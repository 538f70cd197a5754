#include "core/json.hpp"

#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>

namespace nmfbench {
namespace {

// The byte offset at which `text` opens its (kMaxJsonDepth + 1)-th nested array or object, or
// npos. Brackets inside strings do not count; the text need not be valid JSON.
std::size_t too_deep_at(std::string_view text) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::string_view::npos;
}

}  // namespace

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

Json parse_json(std::string_view text, const std::string& source) {
  if (const std::size_t at = too_deep_at(text); at != std::string_view::npos) {
    throw Error(source + ": nested deeper than " + std::to_string(kMaxJsonDepth) +
                " levels at byte " + std::to_string(at) + "; expected at most that");
  }
  try {
    return Json::parse(text);
  } catch (const Json::exception& e) {
    // parse_error, and out_of_range for a number beyond double's range (1e999).
    throw Error(source + ": not valid JSON (" + e.what() + ")");
  }
}

Json read_json_file(const std::filesystem::path& path, const std::string& what) {
  const std::string source = what + " '" + path.string() + "'";
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw Error(source + ": is a folder, expected a JSON file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(source + ": cannot be read");
  const std::string text{std::istreambuf_iterator<char>(in), {}};
  if (in.bad()) throw Error(source + ": cannot be read");
  return parse_json(text, source);
}

}  // namespace nmfbench
