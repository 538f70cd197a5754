#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/json_field.hpp"

namespace nmfbench::results {

// Version of the results JSON layout; bump it when a field changes meaning.
inline constexpr int kSchemaVersion = 1;

// What a result needs to be trusted and regenerated: nmfbench version, commit, compiler and
// flags, library versions, CPU model, the spec and its hash, and whether the data is the
// embedded stand-in or the real corpus.
Json run_manifest(const Json& spec, const std::string& spec_hash, bool stand_in_data);

// The results document: {"schema", "schema_version", "manifest", "cells", "aggregates"}.
// Aggregates are the mean, median and standard deviation of each cell's mean SI-SDRi over
// examples, draws and initialisations, per method, split and checkpoint (failed cells are
// counted apart and left out).
Json make_results(const Json& manifest, const Json& cells);

// Throws Error naming the file unless it is a results document of a known schema version.
Json read_results(const std::string& path);

// The spec's tables (rows: methods; columns: split x iteration, and x the values of an example
// label with `by`, plus their average; cells: the statistic of a metric over the cells; then
// the fields of each method's model summary the table names in `models`), or
// one table of the final SI-SDRi if the spec names none. A feed-forward method, recorded at
// checkpoint 0 only, shows its one estimate in every iteration column; a table without
// iterations shows each cell's final point. format: "md", "latex" or "csv".
std::string render_tables(const Json& results, const std::string& format);

// The statistics a table shows over cells: the mean, the median, or the interquartile range
// ("q1 - q3"); kTableStatistics is how an error names them.
bool is_table_statistic(const std::string& statistic);
inline constexpr const char* kTableStatistics = "\"mean\", \"median\" or \"iqr\"";

// A table's `models`: fields of each row's model summary (the results' "models"), as dotted
// paths ("validation_loss", "parameters.P"), shown as columns after the metric's. Throws
// naming the field unless the table's entry is an array of such paths.
std::vector<std::string> table_model_fields(const JsonObject& table);

// A metric of a curve point ("sdr", "stoi", ...), averaged over the scored sources; absent
// where it was not computed (BSS Eval runs at chosen checkpoints only).
std::optional<Real> metric_of(const Json& point, const std::string& metric);

// A metric's name with its unit, for table titles and axes ("SDR [dB]", "STOI").
std::string metric_title(const std::string& metric);

// The q-quantile of values sorted ascending, interpolated linearly between order statistics
// (NumPy's default): the tables' medians and quartiles.
Real quantile(const std::vector<Real>& sorted, Real q);

// One CSV row per cell (for pandas or R): its key, method, split, example, draw,
// initialisation, status, example labels, and the final point's metrics averaged over the
// scored sources; failed cells carry their error.
std::string render_cells_csv(const Json& results);

}  // namespace nmfbench::results
