#pragma once

#include <filesystem>
#include <string>

#include "core/json.hpp"

namespace nmfbench::results {

// A record stored as "ok" must hold a finite number for every metric: JSON has no infinity or
// NaN (nlohmann writes null), and a null where a score belongs breaks every aggregate and table
// built on it. A record whose curve or final values hold anything else becomes a failed record
// whose error names the metric and the iteration (a silent or repeated source, or a source
// mixed far below another, makes SI-SDR infinite or undefined). Other records are returned as
// they are. Applied to every record before it is written and to every record results are built
// from, so that results build from any set of stored cells, older ones included.
Json with_finite_metrics(Json record);

// A stored cell record; throws Error naming the file unless it is JSON holding a record (an
// object with string key, method, split and status).
Json read_record(const std::filesystem::path& path);

// Throws Error naming `source` and the JSON path unless `results` has what `nmfbench table` and
// `nmfbench plot` read, with the types they read: the manifest and its spec's tables, every
// cell's identity and status, the aggregates and the models' learned PDFs.
void check_results(const Json& results, const std::string& source);

}  // namespace nmfbench::results
