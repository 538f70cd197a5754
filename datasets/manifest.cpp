#include "datasets/manifest.hpp"

#include <algorithm>
#include <functional>
#include <regex>
#include <set>
#include <sstream>

#include "core/json_field.hpp"

namespace nmfbench::data {
namespace fs = std::filesystem;
namespace {

std::vector<fs::path> file_list(const JsonObject& entry, const std::string& key) {
  std::vector<fs::path> files;
  if (!entry.has(key)) return files;
  const Json& list = entry.array(key, "an array of file names");
  for (std::size_t i = 0; i < list.size(); ++i)
    files.emplace_back(json_string(list[i], entry.at(key) + "[" + std::to_string(i) + "]"));
  return files;
}

// What both formats must satisfy; `where(i)` names entry i in errors.
void check_entries(const std::vector<ManifestEntry>& entries,
                   const std::function<std::string(std::size_t)>& where) {
  std::set<std::pair<std::string, std::string>> seen;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const ManifestEntry& e = entries[i];
    if (e.id.empty() || e.split.empty())
      throw Error(where(i) + ": expected a non-empty id and split");
    if (!seen.insert({e.split, e.id}).second)
      throw Error(where(i) + ": the id '" + e.id + "' is used twice in split '" + e.split +
                  "'; expected unique ids");
    if (e.sources.empty()) throw Error(where(i) + ": example '" + e.id + "' lists no source");
    for (std::size_t s = 0; s < e.sources.size(); ++s) {
      if (e.sources[s].empty())
        throw Error(where(i) + ": example '" + e.id + "' skips source " + std::to_string(s));
      if (std::count(e.sources.begin(), e.sources.end(), e.sources[s]) > 1)
        throw Error(where(i) + ": example '" + e.id + "' lists '" + e.sources[s].string() +
                    "' as more than one source; the sources of a mixture must differ");
    }
    if (!e.training.empty() && e.training.size() != e.sources.size()) {
      throw Error(where(i) + ": example '" + e.id + "' has " + std::to_string(e.sources.size()) +
                  " sources but training for " + std::to_string(e.training.size()) +
                  "; expected training files for every source or none");
    }
    for (std::size_t s = 0; s < e.training.size(); ++s) {
      if (e.training[s].empty())
        throw Error(where(i) + ": example '" + e.id + "' has no training file for source " +
                    std::to_string(s));
    }
  }
}

}  // namespace

std::vector<ManifestEntry> parse_manifest_json(const Json& manifest, const std::string& source) {
  std::vector<ManifestEntry> entries;
  try {
    const Json& examples =
        JsonObject(manifest, "manifest").array("examples", "an array of examples");
    for (std::size_t i = 0; i < examples.size(); ++i) {
      const JsonObject e(examples[i], "examples[" + std::to_string(i) + "]");
      e.only({"id", "split", "sources", "training", "noise"});
      ManifestEntry entry{
          e.string("id"), e.string("split"), file_list(e, "sources"), {}, file_list(e, "noise")};
      if (entry.sources.size() > kMaxManifestSources)
        json_fail(e.at("sources"), e.get("sources"),
                  "at most " + std::to_string(kMaxManifestSources) + " sources");
      if (e.has("training")) {
        const Json& training = e.array("training", "an array with a list of files per source");
        for (std::size_t s = 0; s < training.size(); ++s) {
          const std::string path = e.at("training") + "[" + std::to_string(s) + "]";
          const Json& files = json_array(training[s], path, "an array of file names");
          entry.training.emplace_back();
          for (std::size_t f = 0; f < files.size(); ++f)
            entry.training.back().emplace_back(
                json_string(files[f], path + "[" + std::to_string(f) + "]"));
        }
      }
      entries.push_back(std::move(entry));
    }
    check_entries(entries, [](std::size_t i) { return "examples[" + std::to_string(i) + "]"; });
  } catch (const Error& e) {
    throw Error(source + ": " + e.what());
  }
  return entries;
}

std::vector<ManifestEntry> parse_manifest_csv(std::istream& in, const std::string& source) {
  std::string line;
  std::getline(in, line);
  if (line.rfind("id,split,role,file", 0) != 0)
    throw Error(source + ": expected the header id,split,role,file");
  std::vector<ManifestEntry> entries;
  std::vector<int> first_row;  // per entry, for errors
  const std::regex indexed("(source|training)([0-9]+)");
  for (int row = 2; std::getline(in, line); ++row) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const std::string where = source + " row " + std::to_string(row);
    std::stringstream fields(line);
    std::string id, split, role, file;
    std::getline(fields, id, ',');
    std::getline(fields, split, ',');
    std::getline(fields, role, ',');
    std::getline(fields, file);
    if (id.empty() || split.empty() || file.empty())
      throw Error(where + ": expected id,split,role,file with none of them empty");
    auto it = std::find_if(entries.begin(), entries.end(),
                           [&](const auto& e) { return e.id == id && e.split == split; });
    if (it == entries.end()) {
      it = entries.insert(entries.end(), {id, split, {}, {}, {}});
      first_row.push_back(row);
    }
    std::smatch m;
    if (std::regex_match(role, m, indexed)) {
      // Compared as text first: a long run of digits would overflow any integer.
      const std::string digits = m[2];
      const std::size_t index = digits.size() > 3 ? kMaxManifestSources : std::stoul(digits);
      if (index >= kMaxManifestSources) {
        throw Error(where + ": role '" + role + "', expected a source index below " +
                    std::to_string(kMaxManifestSources));
      }
      if (m[1] == "source") {
        if (it->sources.size() <= index) it->sources.resize(index + 1);
        if (!it->sources[index].empty())
          throw Error(where + ": example '" + id + "' names " + role + " twice");
        it->sources[index] = file;
      } else {
        if (it->training.size() <= index) it->training.resize(index + 1);
        it->training[index].emplace_back(file);
      }
    } else if (role == "noise") {
      it->noise.emplace_back(file);
    } else {
      throw Error(where + ": role '" + role + "', expected source<i>, training<i> or noise");
    }
  }
  check_entries(entries, [&](std::size_t i) {
    return source + " (example first listed in row " + std::to_string(first_row[i]) + ")";
  });
  return entries;
}

}  // namespace nmfbench::data
