#pragma once

#include <nlohmann/json.hpp>

#include "core/types.hpp"

namespace nmfbench {

using Json = nlohmann::ordered_json;

// JSON has no infinities: +-inf are written as the strings "inf" and "-inf" (the convention
// of the reference metric files) and NaN as null.
Json finite_or_string(Real value);
// The inverse; throws Error naming `field` for anything else.
Real number_from_json(const Json& value, const std::string& field);

}  // namespace nmfbench
