// What a run of the kernel is told: the seed, the limits, the injections,
// the trace, the program's arguments and where its output goes.
#pragma once

#include "kernel/types.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossrt::kernel {

constexpr u64 kDefaultMaxInsns = 50'000'000'000ull;
constexpr u64 kDefaultMaxMemory = 1ull << 30;

// --inject SIG@N[:LWP]
struct Injection {
    int signo = 0;
    u64 at = 0;  // instructions of the run, or of that LWP
    int lwp = 0; // ordinal (1 = main thread); 0: the whole run, to whichever LWP runs
    bool done = false;
};
// Parses "SIGUSR1@100000" or "SIGUSR1@100000:2"; nullopt on a bad spec.
std::optional<Injection> parse_injection(std::string_view text);

struct KernelOptions {
    u64 seed = kDefaultSeed;
    bool strict = false;
    std::string trace_path;
    std::vector<Injection> injections;
    u64 max_insns = kDefaultMaxInsns;
    u64 max_memory = kDefaultMaxMemory;
    std::vector<std::string> argv; // argv[0] as the guest sees it
    std::vector<std::string> envp;
    int out_fd = 1;
    int err_fd = 2;
};

} // namespace crossrt::kernel
