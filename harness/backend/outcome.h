// What happened when a backend ran a binary; judged later by the expectations.
#pragma once

#include <optional>
#include <string>

namespace crossrt {

struct Outcome {
    std::optional<int> exit_code; // set when the guest exited
    std::optional<int> signal;    // set when a signal terminated the guest
    std::string out;              // captured stdout (capture mode)
    std::string err;              // captured stderr (capture mode)
    double duration_s = 0;
    bool timed_out = false;           // the wall-clock limit killed it
    bool output_truncated = false;    // the output cap killed it
    bool interrupted = false;         // crossrt was interrupted and killed it
    std::optional<std::string> skip;  // the backend found at run time that it cannot run it
    std::optional<std::string> error; // the harness could not run it
    // A harness verdict the backend found instead of a status ("deadlock",
    // from the unicorn kernel), with what it saw.
    std::optional<std::string> harness_verdict;
    std::string verdict_detail; // also set for a timeout the backend decided (instruction budget)
};

// "exit 0", "signal SIGSEGV (11)", "timeout after 10.0s", "output limit exceeded", ...
std::string describe_outcome(const Outcome& outcome);

// The last `max_bytes` of a stream, for failure details.
std::string tail(const std::string& text, std::size_t max_bytes = 400);

} // namespace crossrt
