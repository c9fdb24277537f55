// How a run ended: one vocabulary from the unicorn kernel's RunEnd, through
// the guest protocol's report and a backend's Outcome, to the judge, so that
// no layer re-encodes a verdict as a string of its own.
#pragma once

#include <optional>
#include <string_view>

namespace crossrt {

enum class EndKind {
    // The guest ended by itself.
    exited,   // status: the exit code
    signaled, // status: the signal that ended it
    // The unicorn kernel stopped it.
    deadlock,    // every LWP blocked with no timer pending
    budget,      // its instruction budget ran out (not the wall clock: that is timeout)
    unsupported, // an unsupported syscall under --strict
    error,       // it could not be run (a binary the kernel cannot load, a sandbox failure)
    // The harness stopped it, or never started it.
    timeout,      // the wall-clock limit
    output_limit, // the output cap
    memory,       // the memory cap of the guest's whole process tree (the kernel killed it)
    interrupted,  // crossrt was interrupted
    skip,         // the backend found at run time that it cannot run the target
};
constexpr EndKind kLastEndKind = EndKind::skip; // keep it the last enumerator

// "exited", "signaled", "deadlock", "budget", ..., "output-limit".
std::string_view end_kind_name(EndKind kind);
std::optional<EndKind> end_kind_from_name(std::string_view name);

} // namespace crossrt
