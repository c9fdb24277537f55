// lwp-park-race: the race the 2012 TODO in seed 001 feared ("potential
// deadlock!"). semasleep looks at its M's count, sees 0, and decides to
// park; semawakeup on another M adds one and calls _lwp_unpark. If the
// unpark lands after the decision but before _lwp_park has begun, only the
// kernel can keep the wakeup: NetBSD does, with a per-LWP flag that makes
// the next _lwp_park return EALREADY at once, and semasleep then looks at
// the count again.
//
// A sleeper goroutine on one M and a waker (the main goroutine, on m0) play
// ping-pong for many rounds: the sleeper does some work (a different amount
// each round), announces the round and calls semasleep with a time limit;
// the waker waits for the announcement, then calls semawakeup. Under the
// unicorn kernel, where the sleeper is interrupted depends on the
// scheduling seed; in some rounds of some seeds it is inside the window.
// The time limit is far longer than any wakeup takes (the waker acts at its
// first turn), so a sleep that times out with its wakeup pending in the
// count is a lost wakeup.
#include "rt/atomic.h"
#include "rt/os.h"
#include "rt/print.h"
#include "rt/runtime.h"

using namespace rt;

namespace {

constexpr uint32 kRounds = 1500;
constexpr int64 kSleepLimitNs = 20 * 1000000; // 20 ms

M* sleeper_m;
uint32 announced; // the round the sleeper is about to sleep in
uint32 finished;  // the last round the sleeper came back from
uint32 lost_round;
uint32 lost_count;
volatile uint32 sink;

// Work of a length that varies from round to round (and not with the
// scheduling seed), so the sleeper is interrupted at ever different places.
void work(uint32 round) {
    uint32 x = round * 2654435761u;
    uint32 n = 200 + (x >> 20) % 4000;
    for (uint32 i = 0; i < n; i++) {
        sink = sink + i;
    }
}

struct Sleeper : FuncVal {};
Sleeper sleeper;

RT_FUNCVAL_ABI void sleeper_main(RT_FUNCVAL_PARAMS(Sleeper, self)) {
    (void)self;
    M* mp = getm();
    atomic::store(&sleeper_m, mp);
    for (uint32 round = 1; round <= kRounds; round++) {
        work(round);
        atomic::store(&announced, round);
        if (semasleep(kSleepLimitNs) < 0) {
            atomic::store(&lost_count, atomic::load(&mp->waitsema));
            // Take the wakeup that was slept through before this M goes
            // back to the scheduler, which sleeps on the same semaphore.
            semasleep(0);
            atomic::store(&lost_round, round);
            atomic::store(&finished, round);
            return;
        }
        atomic::store(&finished, round);
    }
}

} // namespace

int rt::main(int, char**) {
    startm_count(2);
    sleeper.fn = reinterpret_cast<uintptr>(&sleeper_main);
    newproc(&sleeper);
    // Stay on m0 (osyield, not gosched): the sleeper runs on the other M.
    M* mp;
    while ((mp = atomic::load(&sleeper_m)) == nullptr) {
        osyield();
    }
    println("lwp-park-race: ", kRounds, " rounds of semasleep/semawakeup between two Ms");
    uint32 round = 1;
    for (; round <= kRounds; round++) {
        while (atomic::load(&announced) != round) {
            osyield();
        }
        semawakeup(mp);
        while (atomic::load(&finished) != round) {
            usleep(20);
        }
        if (atomic::load(&lost_round) != 0) {
            break;
        }
    }
    if (uint32 lost = atomic::load(&lost_round)) {
        println("lost wakeup in round ", lost, ": semasleep timed out after ",
                kSleepLimitNs / 1000000, " ms with the wakeup still in its count (",
                atomic::load(&lost_count), ")");
        return 3;
    }
    println("rounds completed: ", round - 1, ", wakeups lost: 0");
    println("lwp-park-race: ok");
    return 0;
}
