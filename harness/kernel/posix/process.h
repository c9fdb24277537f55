// What both personalities tell a process about itself: its ids, its fixed
// resource limits, the one CPU its LWPs share, and random bytes from the
// seed (getrandom, kern.arandom, /dev/urandom draw from one stream, so a
// run repeats).
#pragma once

#include "kernel/types.h"

#include <vector>

namespace crossrt::kernel {
class Process;
}

namespace crossrt::kernel::posix {

constexpr int kGuestUid = 1000; // uid, euid, gid, egid
constexpr int kParentPid = 1;   // init

// The limits are fixed: an 8 MiB soft stack, 1024 open files, the rest
// unlimited. kUnlimited is RLIM_INFINITY, which each personality numbers.
enum class Resource { stack, open_files, other };
constexpr u64 kUnlimited = ~u64{0};
struct Rlimit {
    u64 soft = kUnlimited;
    u64 hard = kUnlimited;
};
Rlimit resource_limit(Resource resource);
constexpr int kMaxOpenFiles = 1024;

// length bytes of the seeded stream, one 64-bit draw per 8 bytes.
std::vector<u8> random_bytes(Process& m, u64 length);

} // namespace crossrt::kernel::posix
