// What the NetBSD personality's files share: kernel types whose layout the
// C compiler gets right on every arch (time_t is 64-bit everywhere; long is
// the word), the signal mask, and error checks on the stubs' -errno.
#pragma once

#include "defs_netbsd.h"
#include "rt/types.h"

namespace rt::netbsd {

constexpr int kClockMonotonic = 3;
constexpr int kSigBlock = 1;
constexpr int kSigSetmask = 3;

// struct timespec: int64 seconds (12 bytes on i386, 16 elsewhere).
struct Timespec {
    int64 sec;
    intptr nsec;
};

// sigset_t: 128 signals, one bit each.
struct Sigset {
    uint32 bits[4];
};
constexpr Sigset kSigsetAll{{~0u, ~0u, ~0u, ~0u}};

inline bool is_error(intptr r) {
    return r < 0 && r > -4096;
}

void sigprocmask(int how, const Sigset* set, Sigset* old);

} // namespace rt::netbsd
