// Per-M semaphores (semasleep/semawakeup, the OS-specific part under every
// lock and note): a wakeup before the sleep is kept, a sleep nobody ends
// times out, and a wakeup from another M ends a sleep. On NetBSD the first
// case also leaves this LWP's "unparked" flag set, so the timed sleep after
// it sees EALREADY from its first _lwp_park and must park again.
#include "check.h"
#include "rt/atomic.h"
#include "rt/os.h"
#include "rt/runtime.h"

using namespace rt;

namespace {

constexpr int64 kMs = 1000000;

M* sleeper;
uint32 waker_ran;

struct Waker : FuncVal {};
Waker waker;

RT_FUNCVAL_ABI void waker_main(RT_FUNCVAL_PARAMS(Waker, self)) {
    (void)self;
    usleep(1000); // let the sleeper get to sleep first
    atomic::store(&waker_ran, uint32{1});
    semawakeup(sleeper);
}

} // namespace

int rt::main(int, char**) {
    M* me = getm();

    // A wakeup before the sleep: the count keeps it.
    semawakeup(me);
    CHECK_EQ(semasleep(-1), 0);

    // Nobody wakes this one: it times out, and not early.
    int64 start = nanotime();
    CHECK_EQ(semasleep(2 * kMs), -1);
    CHECK(nanotime() - start >= 2 * kMs);
    CHECK_EQ(semasleep(0), -1);

    // A wakeup from a goroutine on another M ends an untimed sleep.
    startm_count(2);
    sleeper = me;
    waker.fn = reinterpret_cast<uintptr>(&waker_main);
    newproc(&waker);
    CHECK_EQ(semasleep(-1), 0); // this M sleeps; the waker runs on the other
    CHECK_EQ(atomic::load(&waker_ran), 1u);
    CHECK_EQ(atomic::load(&me->waitsema), 0u);

    println("selftest sema: ok");
    return 0;
}
