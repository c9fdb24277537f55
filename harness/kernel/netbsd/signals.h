// NetBSD numbers its signals differently from Linux (SIGUSR1 is 30, SIGURG
// 16, SIGCHLD 20, SIGBUS 10...). The kernel core keeps Linux numbers inside
// (default actions, --inject, faults); the NetBSD handlers translate at the
// boundary: signal arguments, sigset_t words, siginfo and frames.
#pragma once

#include "kernel/types.h"

#include <array>

namespace crossrt::kernel::nbsd {

constexpr int kMaxSignal = 63; // NetBSD's NSIG is 64

// 0 when the number has no counterpart.
int to_linux_signal(int netbsd);
int to_netbsd_signal(int linux);

// sigset_t (4 x u32, bit n-1 for signal n) <-> the core's Linux mask.
u64 mask_to_linux(const std::array<u32, 4>& netbsd);
std::array<u32, 4> mask_to_netbsd(u64 linux);

} // namespace crossrt::kernel::nbsd
