#pragma once

#include <filesystem>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/types.hpp"

namespace nmfbench {

using Json = nlohmann::ordered_json;

// JSON has no infinities: +-inf are written as the strings "inf" and "-inf" (the convention
// of the reference metric files) and NaN as null.
Json finite_or_string(Real value);
// The inverse; throws Error naming `field` for anything else.
Real number_from_json(const Json& value, const std::string& field);

// Deeper nesting than any file nmfbench writes or reads (a model's state is a few levels).
// Copying, printing and destroying a value recurse once per level, so a limit at parse time
// is what keeps a hostile file from overflowing the stack.
inline constexpr int kMaxJsonDepth = 64;

// Parses JSON text read from `source` (a file name, or what the text is); errors read
// "<source>: not valid JSON (...)" or "<source>: nested deeper than 64 levels at byte N".
Json parse_json(std::string_view text, const std::string& source);

// Parses a JSON file; errors read "<what> '<path>': cannot be read", "... is a folder" or
// "... not valid JSON (...)".
Json read_json_file(const std::filesystem::path& path, const std::string& what);

}  // namespace nmfbench
