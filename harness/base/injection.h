// --inject SIG@N[:LWP]: a signal delivered at an exact instruction by the
// unicorn kernel. Parsed where a user writes it (a manifest, crossrt exec)
// and carried as this struct to the kernel, which never sees the text.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace crossrt {

struct Injection {
    int signo = 0;
    std::uint64_t at = 0; // instructions of the run, or of that LWP
    int lwp = 0;          // ordinal (1 = main thread); 0: the whole run, to whichever LWP runs
    bool done = false;    // set by the kernel once delivered
    std::uint64_t landed_pc = 0; // and where: the pc the handler's frame saves
    int landed_lwp = 0;          // and to which LWP (ordinal)
};

// Parses "SIGUSR1@100000" or "SIGUSR1@100000:2"; nullopt on a bad spec.
std::optional<Injection> parse_injection(std::string_view text);

} // namespace crossrt
