// What happened when a backend ran a binary; judged later by the expectations.
#pragma once

#include "base/end_kind.h"

#include <cstdint>
#include <optional>
#include <string>

namespace crossrt {

struct Outcome {
    EndKind end = EndKind::error;
    int status = 0; // exited: the exit code; signaled: the signal
    // What the end says beyond its kind: the reason of an error or skip,
    // the unicorn kernel's report of a deadlock, budget or unsupported call,
    // the cap a memory end reached; for an exit, a signal or a timeout, what
    // the sandbox's caps refused on the way (the task cap refused forks).
    std::string detail;
    std::string out; // captured stdout (capture mode)
    std::string err; // captured stderr (capture mode)
    double duration_s = 0;
    // The guest's user + system CPU time, its reaped descendants' included
    // (its supervisor's wait4; a unicorn sweep: every seed's fork). Wall
    // time hides it when the host is busy or the guest sleeps.
    double cpu_s = 0;
    // unicorn: a hash of the run's scheduling decisions (which LWP, how
    // long, in order): runs with the same hash had the same schedule.
    std::optional<std::uint64_t> schedule_hash;

    std::optional<int> exit_code() const; // set when the guest exited
    std::optional<int> signal() const;    // set when a signal ended the guest
};

// "exit 0", "signal SIGSEGV (11)", "timeout after 10.0s", "output limit exceeded", ...
std::string describe_outcome(const Outcome& outcome);

// The last `max_bytes` of a stream, for failure details.
std::string tail(const std::string& text, std::size_t max_bytes = 400);

} // namespace crossrt
