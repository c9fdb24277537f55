// The JSON report, version kJsonReportSchemaVersion (docs/report.schema.json):
// {"schema_version": 1, "selection": {"cells", "digest"}, "shard" (a shard's
// report only): {"index" (1-based), "total", "costs"}, "results": [{name,
// scenario, arch, os, backend, variant, repeat, verdict, duration_s, cpu_s,
// detail, emulator (when the backend runs one, e.g. "qemu-i386 10.0.2"),
// seed and seeds_tried (seeded backends), signal_sweep, repeat_command,
// trace and timeline (when written)}], "sandbox": {...}}.
#pragma once

#include "report/result.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace crossrt {

// Raised whenever a reader of an older report would misread a newer one:
// a key renamed or removed, a meaning changed (not for a key added).
constexpr int kJsonReportSchemaVersion = 1;

// The cells a run was asked for, of which a shard ran its part: their
// count (jobs: a repeated cell counts once per repeat) and
// selection_digest() of their names.
struct ReportSelection {
    std::size_t cells = 0;
    std::string digest;
};

struct ReportShard {
    unsigned index = 1; // 1-based, as --shard K/N
    unsigned total = 1;
    std::string costs; // where the expected costs came from
};

struct ReportHeader {
    ReportSelection selection;
    std::optional<ReportShard> shard;
    // How the guests were contained ("memory_cap": "cgroup v1 ...", ...),
    // as `crossrt sandbox` prints it; left out when empty.
    std::map<std::string, std::string> sandbox;
};

// The header for an unsharded run of exactly these results.
ReportHeader whole_run_header(const std::vector<CellResult>& results,
                              const std::map<std::string, std::string>& sandbox = {});

std::string json_report(const std::vector<CellResult>& results, const ReportHeader& header);
// With whole_run_header(results, sandbox).
std::string json_report(const std::vector<CellResult>& results,
                        const std::map<std::string, std::string>& sandbox = {});

} // namespace crossrt
