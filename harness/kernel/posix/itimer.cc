#include "kernel/posix/itimer.h"

#include "kernel/process.h"

namespace crossrt::kernel::posix {
namespace {

u64 timer_now(const Process& m, Itimer which) {
    return which == Itimer::real ? m.now_ns() : m.cpu_ns();
}

} // namespace

Itimerval get_itimer(const Process& m, Itimer which) {
    const ITimer& timer = m.itimers()[static_cast<std::size_t>(which)];
    u64 now = timer_now(m, which);
    return {timer.interval_ns, timer.next && *timer.next > now ? *timer.next - now : 0};
}

void set_itimer(Process& m, Itimer which, const Itimerval& value) {
    ITimer& timer = m.itimers()[static_cast<std::size_t>(which)];
    timer.interval_ns = value.interval_ns;
    if (value.value_ns == 0)
        timer.next.reset();
    else
        timer.next = saturating_add(timer_now(m, which), value.value_ns);
}

i64 setitimer_call(Process& m, Itimer which, u64 new_value, u64 old_value,
                   const ItimervalLayout& layout) {
    if (old_value != 0 && !layout.write(m, old_value, get_itimer(m, which)))
        return -err::FAULT;
    if (new_value != 0) {
        Itimerval value;
        if (!layout.read(m, new_value, value))
            return -err::FAULT;
        set_itimer(m, which, value);
    }
    return 0;
}

i64 getitimer_call(Process& m, Itimer which, u64 out, const ItimervalLayout& layout) {
    return layout.write(m, out, get_itimer(m, which)) ? 0 : -err::FAULT;
}

} // namespace crossrt::kernel::posix
