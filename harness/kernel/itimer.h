// setitimer and getitimer for both personalities: the interval timers
// (ITIMER_REAL on the virtual clock, VIRTUAL/PROF on CPU time) work the same;
// each personality only says how its struct itimerval is laid out.
#pragma once

#include "kernel/types.h"

namespace crossrt::kernel {

class Process;

struct ItimervalLayout {
    bool (*read)(Process& m, u64 at, u64& interval_ns, u64& value_ns);
    bool (*write)(Process& m, u64 at, u64 interval_ns, u64 value_ns);
};

// Both return 0 or -errno (Linux numbers).
i64 set_itimer(Process& m, u64 which, u64 new_value, u64 old_value, const ItimervalLayout& layout);
i64 get_itimer(Process& m, u64 which, u64 out, const ItimervalLayout& layout);

} // namespace crossrt::kernel
