// What both personalities tell a process about itself: its ids, its fixed
// resource limits, the one CPU its LWPs share, and random bytes from the
// seed (getrandom, kern.arandom, /dev/urandom draw from one stream, so a
// run repeats).
#pragma once

#include "kernel/types.h"

#include <initializer_list>
#include <string_view>
#include <vector>

namespace crossrt::kernel {
class Process;
}

namespace crossrt::kernel::posix {

constexpr int kGuestUid = 1000; // uid, euid, gid, egid; the one group it is in
constexpr int kParentPid = 1;   // init
// The machine's name (uname, kern.hostname, /proc/sys/kernel/hostname, /etc/hostname).
constexpr std::string_view kHostname = "crossrt";

// The guest is an ordinary user, not root: a set*id call may name only
// its own ids (or -1: keep), and its groups cannot change. 0 or -EPERM.
i64 set_ids(std::initializer_list<i64> ids);

// The limits: an 8 MiB soft stack, the open files of the fd table
// (files.h: 1024 soft, which the guest may raise to the hard 4096), the
// rest unlimited. kUnlimited is RLIM_INFINITY, which each personality
// numbers. Only RLIMIT_NOFILE can be changed.
enum class Resource { stack, open_files, other };
constexpr u64 kUnlimited = ~u64{0};
struct Rlimit {
    u64 soft = kUnlimited;
    u64 hard = kUnlimited;
};
Rlimit resource_limit(Process& m, Resource resource);
// RLIMIT_NOFILE: 0, EINVAL (soft above hard) or EPERM (hard raised). For
// the others: 0 when nothing changes, else `refusal`, which says how the
// personality treats a limit it keeps fixed.
i64 set_resource_limit(Process& m, Resource resource, Rlimit want, i64 refusal);

// length bytes of the seeded stream, one 64-bit draw per 8 bytes.
std::vector<u8> random_bytes(Process& m, u64 length);

} // namespace crossrt::kernel::posix
