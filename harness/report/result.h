// A judged cell run: what every report prints.
#pragma once

#include "scenario/matrix.h"
#include "scenario/verdict.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace crossrt {

struct CellResult {
    const Cell* cell = nullptr;
    int repeat = 1; // 1-based; shown as "#k" when a run repeats cells
    bool show_repeat = false;
    Verdict verdict = Verdict::error;
    double duration_s = 0;
    double cpu_s = 0;     // the guest's (Outcome::cpu_s), summed over a sweep's seeds
    std::string emulator; // "qemu-i386 10.0.2" (Backend::emulator_description); may be empty
    std::string detail;
    // Set when the cell's backend schedules from a seed: then `seed` is the
    // seed of the run reported (the settling one of a sweep; unset: the
    // default seed), and seeds_tried how many seeds a sweep ran.
    bool seeded = false;
    std::optional<std::uint64_t> seed;
    int seeds_tried = 1;
    // A signal sweep's table of every point (cli/signal_sweep.h); empty
    // when the cell swept no signal points.
    std::string sweep_table;
    // The files `crossrt run --trace DIR --timeline DIR` had the run write
    // (empty: none asked for), and the command that runs this cell again
    // (with the reported seed when there is one).
    std::string trace_file;
    std::string timeline_file;
    std::string repeat_command;

    std::string name() const; // the cell name, plus "#k" for repeats
};

struct Tally {
    std::size_t total = 0, passed = 0, failed = 0, skipped = 0, timeout = 0, error = 0;
    std::size_t budget = 0, memory = 0, xfail = 0, xpass = 0;
};

Tally tally(const std::vector<CellResult>& results);

// "N cells: N passed, N failed, N skipped, N timeout, N error", then
// ", N budget", ", N memory" and ", N xfail, N xpass" when there are any.
std::string summary_line(const Tally& tally);

} // namespace crossrt
