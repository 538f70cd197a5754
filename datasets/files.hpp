#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace nmfbench::data {

// Throws Error "<dataset>: root '<dir>' is not a folder; expected <expected>".
void require_directory(const std::filesystem::path& dir, const std::string& dataset,
                       const std::string& expected);

// Entries of `dir` sorted by name, so listings never depend on the file system's order.
std::vector<std::filesystem::path> sorted_entries(const std::filesystem::path& dir);

}  // namespace nmfbench::data
