#include "kernel/posix/time.h"

#include "kernel/process.h"

namespace crossrt::kernel::posix {

u64 clock_now(const Process& m, const Lwp& self, Clock clock) {
    switch (clock) {
    case Clock::realtime:
        return kRealtimeOffset + m.now_ns();
    case Clock::monotonic:
        return m.now_ns();
    case Clock::process_cputime:
        return m.cpu_ns();
    case Clock::thread_cputime:
        return self.insns;
    }
    return m.now_ns();
}

u64 deadline_of(const Process& m, const Lwp& self, Clock clock, u64 absolute_ns) {
    u64 now = clock_now(m, self, clock);
    return m.now_ns() + (absolute_ns > now ? absolute_ns - now : 0);
}

SysResult sleep_until(Process& m, Lwp& self, u64 deadline, u64 remaining_out) {
    Wait wait;
    wait.kind = WaitKind::sleep;
    wait.deadline = deadline;
    wait.remaining_out = remaining_out;
    m.block(self, wait);
    return SysResult::blocked();
}

} // namespace crossrt::kernel::posix
