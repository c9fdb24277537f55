// crossrt merge: the JSON reports of the shards of one run (crossrt run
// --shard K/N --json) read back and combined into the report the unsharded
// run would have written, cell for cell (docs/ci.md).
#pragma once

#include "report/json.h"
#include "report/result.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace crossrt {

// A JSON report read back whole; its results point into its own cells
// (built from the report's names, not from the scenarios).
struct LoadedReport {
    std::string source; // the file, for errors
    ReportHeader header;
    std::vector<std::unique_ptr<Cell>> cells;
    std::vector<CellResult> results;
};

// nullopt with what is wrong and where in `error`: not JSON, another
// schema_version, a missing or mistyped key.
std::optional<LoadedReport> load_json_report(const std::string& text, const std::string& source,
                                             std::string& error);

// The shards' results in the unsharded run's order (cell name, then
// repeat), with the shards' selection and no "shard". nullopt with why in
// `error` when the reports are not every shard of one selection exactly
// once: totals that differ, a shard given twice or missing, different
// selections, a cell in two shards, cells missing from the selection. One
// report without "shard" merges as itself.
std::optional<LoadedReport> merge_reports(std::vector<LoadedReport> reports, std::string& error);

} // namespace crossrt
