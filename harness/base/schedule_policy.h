// How a unicorn run's scheduler decides, as the harness asks for it (the
// kernel's own form is kernel/policy.h): the strategy and its parameters,
// and the deviations of a nonpreemptive run (systematic exploration and
// shrinking).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace crossrt {

// At decision point `point` (counted from 0) the LWP `lwp` of process
// `pid` runs instead of the nonpreemptive default, when it can.
struct Deviation {
    std::uint64_t point = 0;
    int pid = 0;
    int lwp = 0;
    bool operator==(const Deviation&) const = default;
};

struct SchedulePolicyRequest {
    std::string strategy = "random"; // random, pct or nonpreemptive
    int pct_depth = 3;
    std::uint64_t pct_steps = 0; // 0: the kernel's default
    std::vector<Deviation> deviations;
    bool operator==(const SchedulePolicyRequest&) const = default;
    bool is_default() const { return *this == SchedulePolicyRequest{}; }
};

} // namespace crossrt
