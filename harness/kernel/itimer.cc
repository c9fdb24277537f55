#include "kernel/itimer.h"

#include "kernel/process.h"

namespace crossrt::kernel {
namespace {

constexpr u64 kTimers = 3; // ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF

u64 timer_now(Process& m, u64 which) {
    return which == 0 ? m.now_ns() : m.cpu_ns();
}

u64 time_left(const ITimer& timer, u64 now) {
    return timer.next && *timer.next > now ? *timer.next - now : 0;
}

} // namespace

i64 set_itimer(Process& m, u64 which, u64 new_value, u64 old_value, const ItimervalLayout& layout) {
    if (which >= kTimers)
        return -err::INVAL;
    ITimer& timer = m.itimers()[which];
    u64 now = timer_now(m, which);
    if (old_value != 0 && !layout.write(m, old_value, timer.interval_ns, time_left(timer, now)))
        return -err::FAULT;
    if (new_value != 0) {
        u64 interval = 0, value = 0;
        if (!layout.read(m, new_value, interval, value))
            return -err::FAULT;
        timer.interval_ns = interval;
        if (value == 0)
            timer.next.reset();
        else
            timer.next = now + value;
    }
    return 0;
}

i64 get_itimer(Process& m, u64 which, u64 out, const ItimervalLayout& layout) {
    if (which >= kTimers)
        return -err::INVAL;
    const ITimer& timer = m.itimers()[which];
    if (!layout.write(m, out, timer.interval_ns, time_left(timer, timer_now(m, which))))
        return -err::FAULT;
    return 0;
}

} // namespace crossrt::kernel
