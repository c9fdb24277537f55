// The part of the selected cells one `crossrt run` runs: all of them, or
// its shard (--shard K/N, else GTEST_TOTAL_SHARDS / GTEST_SHARD_INDEX) by
// the rule of scenario/shard.h, with the header its JSON report carries.
#pragma once

#include "report/json.h"
#include "scenario/matrix.h"
#include "scenario/shard.h"

#include <optional>
#include <string>
#include <vector>

namespace crossrt {

struct RunSelection {
    std::vector<const Cell*> cells; // the ones this run runs
    std::vector<double> costs;      // their expected seconds, one run each
    ReportSelection selection;      // of the whole selection, every shard's
    std::optional<ReportShard> shard;
};

// shard_spec: --shard's "K/N" (empty: none); costs_report: --shard-costs, a
// previous JSON report whose durations weigh the cells (empty: the
// manifests' timeouts). nullopt after printing what is wrong.
std::optional<RunSelection> select_run(const std::vector<const Cell*>& selected, int repeat,
                                       const std::string& shard_spec,
                                       const std::string& costs_report);

// A previous report's durations by cell; throws std::runtime_error naming
// the file when it cannot be read.
MeasuredDurations read_measured_durations(const std::string& report);

} // namespace crossrt
