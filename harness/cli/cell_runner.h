// Runs cells: one cell through its backend and judgement, and many in parallel.
#pragma once

#include "backend/backend.h"
#include "report/console.h"
#include "report/result.h"
#include "scenario/matrix.h"

#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <vector>

namespace crossrt {

// What `crossrt run` adds for the unicorn backend.
struct CellRunSettings {
    std::optional<std::uint64_t> seed; // overrides the manifest's seed
    std::optional<int> seeds;          // overrides the manifest's seed sweep
    // The command that re-runs one cell, without the cell and seed
    // ("/path/crossrt run --strict"): sweeps print it with the seed that failed.
    std::string repeat_command = "crossrt run";
    bool strict = false;
    std::optional<int> cpus;                 // overrides the manifest's
    std::optional<std::uint64_t> memory_mib; // the sandbox's caps (default: Limits')
    std::optional<std::uint64_t> tasks;
    std::filesystem::path trace_dir;    // empty: no traces; else one file per cell
    std::filesystem::path timeline_dir; // the same for timelines (kernel/timeline.h)
    int repeat = 1;                     // for the trace and timeline file names
    int seed_parallelism = 1;           // a sweep's seeds (or signal points) running at once
    // crossrt run --signal-sweep: overrides the manifest's `signal_sweep`;
    // cells of other backends are skipped, saying so.
    std::string signal_sweep;
    // Every cell of the suite: a [gotest] cell finds its reference among them.
    const std::vector<Cell>* all_cells = nullptr;
    std::string schedule_file; // unicorn: decisions to replay (--schedule)
    int gdb_fd = -1;           // the run is served to this gdb connection (--gdb)
};

// A cell made ready for runs its caller drives (crossrt explore): the
// backend, the request as `crossrt run` would make it, and the judgement
// of an outcome (never throws: a check that cannot apply is an error).
struct PreparedCell {
    const Backend* backend = nullptr;
    RunRequest request;
    std::function<Judgement(const Outcome&)> judge;
};

// nullopt when the cell cannot run, with result's verdict (skip, error)
// and detail saying why.
std::optional<PreparedCell> prepare_cell(const Cell& cell, const std::filesystem::path& build_dir,
                                         const std::atomic<bool>& cancel,
                                         const CellRunSettings& settings, CellResult& result);

// A missing binary is an error ("binary not built: <path>"), a static skip is
// a skip without running anything. A unicorn cell with a seed sweep (manifest
// `seeds`, --seeds) runs once per seed until one settles the verdict.
CellResult run_cell(const Cell& cell, const std::filesystem::path& build_dir,
                    const std::atomic<bool>& cancel, const CellRunSettings& settings = {});

// The trace file of a cell: its name with '/' as '_', ".trace" (and "#N" when repeated).
std::string trace_file_name(const std::string& cell_name, int repeat);
// Its timeline file: the same name, ".timeline.json".
std::string timeline_file_name(const std::string& cell_name, int repeat);

struct CellJob {
    const Cell* cell = nullptr;
    int repeat = 1;
    bool show_repeat = false;
};

// Every job gets `repeat` copies when repeat > 1, in cell order.
std::vector<CellJob> make_jobs(const std::vector<const Cell*>& cells, int repeat);

using CellRunFunction = std::function<CellResult(const CellJob& job)>;

// Runs the jobs on `parallelism` threads. When `cancel` is set, no new job
// starts; jobs never started are reported as skip "not run (interrupted)".
// Results come back in job order.
std::vector<CellResult> run_jobs(const std::vector<CellJob>& jobs, unsigned parallelism,
                                 const CellRunFunction& run, ConsoleReporter* reporter,
                                 const std::atomic<bool>& cancel);

} // namespace crossrt
