// A signal sweep judged: each point's run as the cell's expectations judge
// one run (or, for crossrt exec, by how the guest ended), the table of every
// point, and the sweep's verdict. A fixed variant passes when every point
// passes and the sweep covered every instruction of the region; a
// regression variant is caught when some point shows the bug. A region
// never reached is an error.
#pragma once

#include "backend/backend.h"
#include "base/signal_sweep.h"
#include "scenario/verdict.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace crossrt {

struct PointResult {
    SignalPoint point;
    std::optional<std::uint64_t> landed_pc; // unset: the signal was never delivered
    int landed_lwp = 0;
    Judgement judgement;
    std::string outcome; // "exit 0", "SIGSEGV", ...
    double duration_s = 0;
    double cpu_s = 0;
    // The signal landed on the point's own instruction.
    bool exact() const { return landed_pc && *landed_pc == point.address; }
};

struct SignalSweepResult {
    Judgement judgement; // the sweep's
    std::optional<SweepPlan> plan;
    std::vector<PointResult> points;
    std::size_t covered = 0; // instructions of the region with a point that landed exactly
    std::size_t shown = 0;   // points whose verdict is pass (regression: caught there)
    bool regression = false;
    double duration_s = 0; // the points' run times, summed
    double cpu_s = 0;
};

using JudgeOutcome = std::function<Judgement(const Outcome&)>;

// Runs the sweep of `spec` on the backend and judges it. regression: a
// point that passes (the bug showed) catches it. should_stop is polled
// between points (an interrupt).
SignalSweepResult sweep_signal_points(const Backend& backend, const RunRequest& request,
                                      const std::string& spec, int parallel, bool regression,
                                      const JudgeOutcome& judge,
                                      const std::function<bool()>& should_stop);

// A point judged by how the guest ended (crossrt exec): exit 0 passes.
Judgement judge_exit_zero(const Outcome& outcome);

// Every point: address, region+offset, instruction, count, LWP, verdict;
// then the instructions never reached, and the counts.
std::string format_sweep_table(const SignalSweepResult& result);

} // namespace crossrt
