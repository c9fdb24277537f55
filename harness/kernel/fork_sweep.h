// Many runs from one prepared process: each variant runs in a fork of this
// process (copy-on-write, as fuzzers' fork servers do), so the guest boots
// once for a whole sweep. A seed sweep reseeds each fork
// (Kernel::reseed); a sweep over signal points can run to its point once
// and fork a variant per point the same way.
#pragma once

#include "kernel/types.h"

#include <functional>
#include <string>
#include <vector>

namespace crossrt::kernel {

struct ForkSweepOptions {
    int parallel = 1;                    // variants running at once
    double timeout_s = 0;                // per variant, wall clock; 0: none
    std::size_t output_bytes = 4u << 20; // kept of each stream
};

struct ForkedRun {
    u64 key = 0;
    int wait_status = 0; // as waitpid gives it
    bool timed_out = false;
    bool output_over = false; // a stream went past output_bytes
    double duration_s = 0;
    double cpu_s = 0; // the variant's own user + system time
    std::string out;
    std::string err;
    std::string side; // what the variant wrote to its side fd
};

// Runs variant(key, side_fd) in a fork for each key, at most `parallel` at
// once. In the fork, fds 1 and 2 are fresh in-memory files read back into
// out and err; side_fd is a third one. variant returns the exit status (or
// ends the fork itself, by a signal). done(run) gets every run in key order
// and returns false to stop: the forks still running are killed. False when
// a fork could not be made (errno's text in error).
bool fork_each(const std::vector<u64>& keys, const ForkSweepOptions& options,
               const std::function<int(u64 key, int side_fd)>& variant,
               const std::function<bool(ForkedRun run)>& done, std::string& error);

} // namespace crossrt::kernel
