// Clocks and sleeps on the virtual clock: 1 ns per executed instruction,
// jumping to the next deadline when every LWP waits. CLOCK_REALTIME starts
// at 2024-01-01 (types.h), CLOCK_MONOTONIC at 0; the CPU-time clocks count
// instructions of the process or of the LWP.
#pragma once

#include "kernel/lwp.h"
#include "kernel/posix/syscall_table.h"
#include "kernel/types.h"

namespace crossrt::kernel {
class Process;
}

namespace crossrt::kernel::posix {

// The clocks, whatever a personality calls them (its coarse, raw, boot-time,
// VIRTUAL and PROF variants are one of these).
enum class Clock { realtime, monotonic, process_cputime, thread_cputime };

u64 clock_now(const Process& m, const Lwp& self, Clock clock);

// The virtual-clock deadline of an absolute time on clock: now if it has passed.
u64 deadline_of(const Process& m, const Lwp& self, Clock clock, u64 absolute_ns);

// Blocks self until the deadline (virtual ns). A signal handler ends the
// sleep with EINTR; the time left is written to remaining_out (when not 0)
// as the machine's interrupted-sleep path does.
SysResult sleep_until(Process& m, Lwp& self, u64 deadline, u64 remaining_out = 0);

} // namespace crossrt::kernel::posix
