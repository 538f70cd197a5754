#pragma once

#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/types.hpp"

namespace nmfbench {

using Json = nlohmann::ordered_json;

// JSON has no infinities: +-inf are written as the strings "inf" and "-inf" (the convention
// of the reference metric files) and NaN as null.
Json finite_or_string(Real value);
// The inverse; throws Error naming `field` for anything else.
Real number_from_json(const Json& value, const std::string& field);

// Parses a JSON file; errors read "<what> '<path>': cannot be read" or "... not valid JSON (...)".
Json read_json_file(const std::filesystem::path& path, const std::string& what);

}  // namespace nmfbench
