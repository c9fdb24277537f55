// Who gets the CPU at each decision point, by strategy. The kernel asks at
// every point where a choice is possible and records what was chosen
// (schedule.h); the explorer (crossrt explore) varies the strategy and its
// parameters from run to run:
//
//  - random: today's seeds. Decisions at slice ends only: a PRNG picks the
//    LWP and the slice's length (10k-60k instructions).
//  - pct: probabilistic concurrency testing (Burckhardt et al., ASPLOS
//    2010). Every LWP gets a random priority when it first appears; the
//    highest runnable one runs; at d-1 random steps of the K a run is
//    expected to take, the running LWP drops below every other. A bug of
//    depth d is found with probability at least 1/(n * K^(d-1)).
//  - nonpreemptive: the running LWP keeps the CPU until it blocks, yields
//    or exits (then the next runnable one after it, round robin), except at
//    the points given as deviations. Systematic exploration (CHESS,
//    Musuvathi & Qadeer, PLDI 2007) enumerates deviation sets with at most
//    k preemptions; shrinking removes deviations from a failing set.
//
// pct and nonpreemptive decide at synchronisation points too: before a
// futex, _lwp_park, _lwp_unpark, exit or kill call takes effect (its
// effect is then deferred until the LWP runs again), after sched_yield,
// when an LWP blocks, and when the running LWP's quantum ends (a spin
// loop without calls must not keep the CPU forever).
#pragma once

#include "kernel/sched.h"
#include "kernel/types.h"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crossrt::kernel {

enum class Strategy { random, pct, nonpreemptive };

std::string_view strategy_name(Strategy strategy);
std::optional<Strategy> parse_strategy(std::string_view name);

// An LWP of the run: its process's pid and its ordinal there.
struct LwpId {
    int pid = 0;
    int lwp = 0;
    auto operator<=>(const LwpId&) const = default;
};

// Why a decision is made now.
enum class PointKind {
    start,     // the first one
    slice_end, // the slice or quantum ran out with the LWP still runnable
    blocked,   // the running LWP blocked, exited or stopped
    yield,     // it called sched_yield
    sync,      // it is at the entry of a synchronisation call
};

std::string_view point_kind_name(PointKind kind);

// Whether a call (its name in the syscall tables) is a synchronisation
// point: it wakes, waits for, makes, signals or ends an LWP.
bool is_synchronisation_call(std::string_view name);

struct PolicyOptions {
    Strategy strategy = Strategy::random;
    int pct_depth = 3; // d: the bug depth PCT is tuned for (d-1 change points)
    u64 pct_steps = 0; // K: the decision points a run is expected to take (0: 10000)
    // nonpreemptive: at decision point i (counted from 0), the LWP chosen
    // instead of the default, when it can run there (else the default).
    std::map<u64, LwpId> deviations;
};

// A decision point as the policy sees it: the runnable LWPs in the kernel's
// order (by process, then creation), and the LWP that ran last (if any).
struct PointView {
    PointKind kind = PointKind::start;
    std::optional<LwpId> current;
    std::vector<LwpId> runnable;
};

// What exploration learns of a point: where it was, what could run, what
// the strategy-free default was, and what was chosen. A choice other than
// the default at a point where the current LWP could go on (and did not
// yield) is a preemption.
struct PointRecord {
    PointKind kind = PointKind::start;
    std::optional<LwpId> current;
    std::vector<LwpId> runnable;
    LwpId fallback; // the nonpreemptive default
    LwpId chosen;
    bool preemptible = false; // the current LWP could have gone on
    bool operator==(const PointRecord&) const = default;
};

// The points file (crossrt explore reads it): one line per point,
// "KIND CURRENT FALLBACK CHOSEN PREEMPTIBLE RUNNABLE,..." with LWPs as
// pid:lwp and "-" for no current LWP.
std::string format_points(const std::vector<PointRecord>& points);
std::optional<std::vector<PointRecord>> parse_points(std::string_view text, std::string& error);

class SchedulePolicy {
public:
    // The quantum of the strategies that decide at synchronisation points.
    static constexpr u64 kQuantum = 200'000;

    SchedulePolicy(PolicyOptions options, u64 seed);

    // Whether calls decide (pct, nonpreemptive) or only slice ends (random).
    bool decides_at_sync_points() const { return options_.strategy != Strategy::random; }
    // The index in view.runnable of the LWP to run, and for how many
    // instructions. view.runnable is not empty.
    std::pair<std::size_t, u64> choose(const PointView& view);
    // The nonpreemptive default at this point: the current LWP goes on
    // unless it blocked or yielded, or has kept the CPU for
    // kStarvationQuanta quanta in a row with others runnable (a spin loop
    // without calls must not starve the LWP it waits for); else the next
    // runnable one after it, round robin.
    std::size_t fallback(const PointView& view) const { return fallback(view, kept_); }
    static std::size_t fallback(const PointView& view, int kept_quanta);
    // What ran: every strategy's choice (and a replayed one) goes through
    // here, so that the fallback of the next point is the same whoever chose.
    void note_choice(const PointView& view, LwpId chosen);
    // Quantum ends in a row that kept the same LWP.
    static constexpr int kStarvationQuanta = 8;
    // The decision points taken so far.
    u64 steps() const { return steps_; }
    const PolicyOptions& options() const { return options_; }

private:
    std::size_t choose_pct(const PointView& view);
    // Of the runnable LWPs but `current`, the one that got the CPU longest ago.
    std::size_t longest_waiting(const PointView& view, std::size_t current) const;
    std::size_t choose_nonpreemptive(const PointView& view) const;
    u64 priority(LwpId lwp);

    PolicyOptions options_;
    Scheduler scheduler_;
    u64 steps_ = 0;
    // pct
    std::map<LwpId, u64> priorities_;
    std::vector<u64> change_points_; // sorted steps (1-based)
    int changes_done_ = 0;
    int kept_ = 0; // quantum ends in a row that kept the same LWP with others waiting
    // pct's starvation guard: the step at which each LWP last got the CPU.
    std::map<LwpId, u64> last_ran_;
};

} // namespace crossrt::kernel
