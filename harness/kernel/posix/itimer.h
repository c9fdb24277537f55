// The interval timers of setitimer/getitimer: ITIMER_REAL on the virtual
// clock, ITIMER_VIRTUAL and ITIMER_PROF on the process's CPU time (its
// instructions). The process fires them (SIGALRM, SIGVTALRM, SIGPROF); a
// personality decodes which timer and its struct itimerval.
#pragma once

#include "kernel/types.h"

namespace crossrt::kernel {
class Process;
}

namespace crossrt::kernel::posix {

enum class Itimer { real = 0, virtual_time = 1, prof = 2 }; // the index in Process::itimers

struct Itimerval {
    u64 interval_ns = 0;
    u64 value_ns = 0; // time left; 0: disarmed
};

Itimerval get_itimer(const Process& m, Itimer which);
// A value of 0 disarms the timer.
void set_itimer(Process& m, Itimer which, const Itimerval& value);

// How a personality lays out struct itimerval in guest memory.
struct ItimervalLayout {
    bool (*read)(Process& m, u64 at, Itimerval& value);
    bool (*write)(Process& m, u64 at, const Itimerval& value);
};

// setitimer(which, new, old) and getitimer(which, out) on guest memory,
// which already decoded; 0 or -errno. setitimer writes the old value
// before it reads the new one, so new == old works.
i64 setitimer_call(Process& m, Itimer which, u64 new_value, u64 old_value,
                   const ItimervalLayout& layout);
i64 getitimer_call(Process& m, Itimer which, u64 out, const ItimervalLayout& layout);

} // namespace crossrt::kernel::posix
