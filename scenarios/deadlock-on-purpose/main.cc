// deadlock-on-purpose: every thread ends up sleeping where nobody will ever
// wake it (Linux: on a futex; NetBSD: in _lwp_park). The runtime's own "all
// goroutines are asleep" check does not fire (the main goroutine is blocked
// inside notesleep, not parked), so only the kernel can tell: under unicorn,
// every LWP blocked with no timer pending is the verdict `deadlock`,
// reported with each LWP's pc and system call. (Under qemu or natively this
// would just hang.)
#include "rt/lock.h"
#include "rt/print.h"
#include "rt/runtime.h"

using namespace rt;

int rt::main(int, char**) {
    startm_count(2); // a second M, which goes idle on its park note
    println("deadlock-on-purpose: sleeping on a note nobody wakes");
    Note never;
    noteclear(&never);
    notesleep(&never);
    println("unreachable");
    return 1;
}
