#pragma once

#include <filesystem>
#include <istream>
#include <string>
#include <vector>

#include "core/json.hpp"

namespace nmfbench::data {

// One example of a folder manifest (the `folder` loader): files relative to the corpus root.
struct ManifestEntry {
  std::string id, split;
  std::vector<std::filesystem::path> sources;
  std::vector<std::vector<std::filesystem::path>> training;  // per source; empty: none
  std::vector<std::filesystem::path> noise;
};

// Sources one example may have; a role such as source4294967295 is an error, not an allocation.
inline constexpr std::size_t kMaxManifestSources = 64;

// Parse a manifest and check what can be checked without the files: every example has an id, a
// split and at least one source, no source index is skipped, no source file is listed twice,
// training is given for every source or none, and no (split, id) pair repeats. Errors name
// `source` (the manifest's path) and the entry (examples[3].sources[1], row 7).
//   JSON: {"examples": [{"id", "split", "sources": [files], "training": [[files] per source],
//          "noise": [files]}]}
//   CSV:  a header "id,split,role,file", then one row per file, role source<i>, training<i> or
//         noise; several training files of one source are concatenated.
std::vector<ManifestEntry> parse_manifest_json(const Json& manifest, const std::string& source);
std::vector<ManifestEntry> parse_manifest_csv(std::istream& in, const std::string& source);

}  // namespace nmfbench::data
