// A seed sweep: one unicorn cell run with consecutive scheduling seeds, to
// find a schedule-dependent bug (a lost wakeup, a race) that one fixed seed
// may miss. The sweep stops at the first seed that settles the verdict.
#pragma once

#include "scenario/verdict.h"

#include <cstdint>
#include <functional>
#include <string>

namespace crossrt {

struct SeedSweep {
    std::uint64_t first = 0;
    int count = 1;
    // Set on [[xfail]] cells: a seed that passes is an xpass, not a pass.
    bool known_failure = false;
    // Set on regression variants: a seed that shows the bug (verdict pass)
    // ends the sweep; a fixed variant ends at the first seed that does not pass.
    bool regression = false;
};

struct SweepResult {
    Judgement judgement;
    std::uint64_t seed = 0; // the seed that settled it (the last one tried when none did)
    int tried = 0;
    double duration_s = 0; // the seeds' own run times, summed
    double cpu_s = 0;      // and their CPU times
    double wall_s = 0;     // the sweep's, start to end (seeds may run in parallel)
};

// run(seed) runs the cell once with that seed and judges it.
struct SeedRun {
    Judgement judgement;
    double duration_s = 0;
    double cpu_s = 0;
    // Cut short by an interrupt: the run says nothing about its seed, so it
    // settles nothing (and no "repeat: ... --seed N" names it).
    bool interrupted = false;
};
using RunWithSeed = std::function<SeedRun(std::uint64_t seed)>;

// Runs the sweep. repeat_command is the command line that repeats one seed,
// without the seed ("crossrt run CELL --seed"); the settling seed is appended
// to it in the detail. should_stop is polled between seeds (an interrupt).
SweepResult run_seed_sweep(const SeedSweep& sweep, const RunWithSeed& run,
                           const std::string& repeat_command,
                           const std::function<bool()>& should_stop);

// The same with seeds that some other runner starts (the unicorn backend
// forks one booted guest per seed): run_all(take) gives each seed's judged
// run to take, in seed order, until take returns false.
using TakeSeed = std::function<bool(std::uint64_t seed, const SeedRun& run)>;
using RunAllSeeds = std::function<void(const TakeSeed& take)>;
SweepResult sweep_seeds(const SeedSweep& sweep, const RunAllSeeds& run_all,
                        const std::string& repeat_command,
                        const std::function<bool()>& should_stop);

} // namespace crossrt
