// deadlock-on-purpose: every thread ends up waiting on a futex that nobody
// will ever wake. The runtime's own "all goroutines are asleep" check does
// not fire (the main goroutine is blocked inside notesleep, not parked), so
// only the kernel can tell: under unicorn, every LWP blocked with no timer
// pending is the verdict `deadlock`, reported with each LWP's pc, syscall
// and futex address. (Under qemu or natively this would just hang.)
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
