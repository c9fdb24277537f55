// A run's report files, JSON, JUnit and TAP, written together: what
// `crossrt run` writes and what `crossrt merge` writes for its shards.
#pragma once

#include "report/json.h"
#include "report/result.h"

#include <string>
#include <vector>

namespace crossrt {

struct ReportPaths {
    std::string json; // empty: not written
    std::string junit;
    std::string tap;
};

// Writes each report asked for, each whole or not at all. A file that
// cannot be written is said on stderr ("crossrt: <who>: ..."), and the
// others are still written. False when any failed.
bool write_report_files(const ReportPaths& paths, const std::vector<CellResult>& results,
                        const ReportHeader& header, const std::string& who);

} // namespace crossrt
