// crossrt explore's engine: runs one unicorn cell many times under a
// scheduling strategy until a run shows a bug (a fixed variant fails, a
// regression variant shows its symptom) or the budget runs out, then
// shrinks the failing schedule and writes it as a file that replays it
// (a random one is first re-expressed as deviations: explore.cc).
//
// Strategies (kernel/policy.h says how each decides):
//  - random: consecutive seeds, as a seed sweep; each from the booted
//    snapshot (a fork per seed).
//  - pct: consecutive seeds with PCT of depth d over K steps: the first
//    with the kernel's guess of K (its run is a test like any other, and
//    it counts its decision points), the next with that count as K, each
//    from the booted snapshot.
//  - systematic: depth-first enumeration of nonpreemptive schedules with
//    at most k preemptions (deviations at synchronisation points), the top
//    of the stack in batches of forks of the booted snapshot; schedules
//    already seen (their decisions' hash) not expanded again.
// Shards split the work: random and pct take a block of seeds each;
// systematic, the subtrees under each first deviation, by its hash.
#pragma once

#include "base/schedule_policy.h"
#include "cli/cell_runner.h"
#include "scenario/verdict.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace crossrt {

enum class ExploreStrategy { random, pct, systematic };

struct ExploreSettings {
    ExploreStrategy strategy = ExploreStrategy::pct;
    int depth = 3;            // pct: the bug depth d
    int preemptions = 2;      // systematic: the bound k
    std::uint64_t runs = 100; // the budget, per cell and shard
    double time_s = 0;        // 0: none
    bool keep_going = false;
    int shard_index = 0; // 0-based
    int shard_count = 1;
    std::uint64_t base_seed = 0;
    bool shrink = true;
    int shrink_runs = 300;
    int parallel = 1;              // random and pct: forks at once
    std::filesystem::path out_dir; // schedule files (and scratch)
    std::string replay_prefix;     // "crossrt run" with the global options
};

struct ExploreStatus {
    std::uint64_t tried = 0;
    std::uint64_t distinct = 0;
    std::uint64_t failures = 0;
    double elapsed_s = 0;
    std::string phase; // "exploring", "shrinking"
};

// A run that showed the bug, and what shrinking made of it.
struct ExploreFinding {
    std::uint64_t run = 0; // 1-based, among the runs tried
    std::uint64_t seed = 0;
    SchedulePolicyRequest policy; // the run's (pct: its K)
    Judgement judgement;
    // The schedule as deviations from the nonpreemptive one (pct and
    // systematic; random once shrinking re-expressed it), before and after
    // shrinking.
    std::size_t deviations_found = 0;
    std::vector<Deviation> deviations;
    int preemptions = -1; // of the shrunk schedule; -1: not known (random kept as found)
    int shrink_runs = 0;
    bool shrunk = false;
    std::string schedule_file;
    std::string replay_command;
    bool replay_verified = false; // the file replayed shows the same symptom
    std::string note;             // e.g. why it was not shrunk
};

struct ExploreResult {
    std::uint64_t tried = 0;
    std::uint64_t distinct = 0;
    double wall_s = 0;
    std::uint64_t calibration_points = 0; // pct: K, the first run's decision points
    std::vector<ExploreFinding> findings;
    // Runs that hit the wall-clock limit (the manifest's timeout) and ran
    // to an end when run again: the machine's load, not the schedule; not
    // findings.
    std::uint64_t unconfirmed_timeouts = 0;
    bool exhausted = false; // systematic: every schedule within the bound was tried
    bool interrupted = false;
    std::optional<std::string> error; // the exploration could not run
};

using ExploreProgress = std::function<void(const ExploreStatus&)>;

// Whether a judged run shows what exploration looks for: the symptom of a
// regression variant, any failure of a fixed one.
bool shows_bug(const Cell& cell, const Judgement& judgement);

ExploreResult explore_cell(const Cell& cell, const PreparedCell& prepared,
                           const ExploreSettings& settings, const ExploreProgress& progress,
                           const std::atomic<bool>& cancel);

// What a ddmin round asks: of these candidate sets, in order, the first
// that still fails, and how many of them were run to tell (a tester may
// run them one at a time and stop at the first, or in batches).
struct FirstFailing {
    std::optional<std::size_t> index;
    int ran = 0;
};
using FailingTester = std::function<FirstFailing(const std::vector<std::vector<Deviation>>&)>;

// Delta debugging (Zeller's ddmin) over a failing set of deviations: the
// smallest subset found for which the tester finds a failure, running at
// most max_tests subsets. Each round hands the tester all its candidates
// (the complements of the chunks) at once, so the result is the one a
// one-at-a-time ddmin gets whether the tester runs them one by one or in
// parallel batches. Exposed for its test.
std::vector<Deviation> minimize_deviations(std::vector<Deviation> deviations,
                                           const FailingTester& first_failing, int max_tests,
                                           int& tests);

// The same with a one-set predicate, run one at a time.
std::vector<Deviation>
minimize_deviations(std::vector<Deviation> deviations,
                    const std::function<bool(const std::vector<Deviation>&)>& still_fails,
                    int max_tests, int& tests);

} // namespace crossrt
