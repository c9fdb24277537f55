// A run's scheduling decisions as data. Each slice the kernel gives one
// runnable LWP the CPU for some instructions; with a seed the scheduler's
// PRNG decides both. A run can write its decisions down (--record-schedule)
// and another can take them instead of the PRNG (--schedule): on the same
// program and options the same decisions give the same run, trace and all,
// so a failing interleaving can be kept as a file, replayed, and edited
// (fewer switches, a shorter prefix) by the tools built on it.
#pragma once

#include "kernel/types.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossrt::kernel {

// One slice: the LWP (its process's pid and its ordinal there: the first
// process's main LWP is pid 100, lwp 1) and the instructions it may run
// before the next decision.
struct Decision {
    int pid = 0;
    int lwp = 0;
    u64 length = 0;
    bool operator==(const Decision&) const = default;
};

struct Schedule {
    // What the decisions were made for, checked before a replay: the
    // program (its path and size) and the options that change a run's
    // course besides the decisions (the seed also feeds getrandom and
    // AT_RANDOM; the CPUs are what the guest sizes its threads by).
    std::string program;
    u64 program_size = 0;
    u64 seed = 0;
    int cpus = 0;
    // Who made the decisions, and where (policy.h): a nonpreemptive or pct
    // run decides at synchronisation calls too, so its replay must.
    std::string strategy = "random";
    int pct_depth = 3;
    u64 pct_steps = 0;
    std::vector<Decision> decisions;
};

// The file format: a header line, the four facts, then one decision per
// line ("pid lwp length"); '#' starts a comment.
std::string format_schedule(const Schedule& schedule);
// nullopt and why (naming the line) when the text is not a schedule.
std::optional<Schedule> parse_schedule(std::string_view text, std::string& error);

} // namespace crossrt::kernel
