// Per-M semaphores on NetBSD (Go's os_netbsd.go): a count in m->waitsema;
// semawakeup adds one and unparks the M's LWP by its id (m->procid);
// semasleep takes one, parking the LWP while the count is 0.
//
// The race the 2012 TODO feared: the sleeper sees 0 and decides to park, the
// waker adds one and unparks before the park has begun. NetBSD keeps that
// unpark: an LWP that is not parked gets a one-bit "unparked" flag, and its
// next _lwp_park returns EALREADY at once. So EALREADY means "you were woken
// already": go round and look at the count again.
#include "netbsd.h"
#include "rt/atomic.h"
#include "rt/os.h"
#include "rt/print.h"
#include "rt/runtime.h"
#include "rt/syscall.h"
#include "rt/throw.h"

namespace rt {

namespace {
constexpr int kTimerReltime = 0;

// ___lwp_park60(clock, flags, ts, unpark, hint, unparkhint): sleep until
// unparked, or for ts (relative) when ts is not null. The hint (the count's
// address) is advisory; NetBSD uses it to find the sleeper quickly.
intptr lwp_park(netbsd::Timespec* ts, uint32* hint) {
    return syscall(SYS____lwp_park60, netbsd::kClockMonotonic, kTimerReltime, ts, 0, hint, nullptr);
}
} // namespace

int32 semasleep(int64 ns) {
    M* mp = getm();
    int64 deadline = ns >= 0 ? nanotime() + ns : 0;
    for (;;) {
        if (sema_take(mp)) {
            return 0;
        }
        // The count is 0: from here to the park, a semawakeup only sets
        // this LWP's unpark flag.
        netbsd::Timespec ts{};
        netbsd::Timespec* tsp = nullptr;
        if (ns >= 0) {
            int64 left = deadline - nanotime();
            if (left <= 0) {
                return -1;
            }
            ts.sec = left / 1000000000;
            ts.nsec = static_cast<intptr>(left % 1000000000);
            tsp = &ts;
        }
        intptr r = lwp_park(tsp, &mp->waitsema);
#ifdef RT_REGRESS_PARK_LOSES_EARLY_UNPARK
        // The bug: EALREADY taken for "nothing happened" and the park
        // retried, as if unparks before a park were not kept. The retry
        // consumes nothing: the flag is already spent, and the wakeup the
        // count holds is slept through.
        while (r == -RT_NETBSD_EALREADY) {
            r = lwp_park(tsp, &mp->waitsema);
        }
#endif
        if (r == 0 || r == -RT_NETBSD_EALREADY || r == -RT_NETBSD_EINTR) {
            continue; // woken (now or before the park), or a signal: look again
        }
        if (r == -RT_NETBSD_ETIMEDOUT) {
            return -1;
        }
        eprintln("semasleep: _lwp_park returned errno ", -r);
        throw_("semasleep");
    }
}

void semawakeup(M* mp) {
    atomic::add(&mp->waitsema, uint32{1});
    intptr r = syscall(SYS__lwp_unpark, mp->procid, &mp->waitsema);
    // As Go: ESRCH (no such LWP) is not reported. It is what a wrong procid
    // gives, and the wakeup is then lost: the M sleeps on.
    if (r != 0 && r != -RT_NETBSD_ESRCH) {
        eprintln("semawakeup: _lwp_unpark(", mp->procid, ") returned errno ", -r);
    }
}

} // namespace rt
