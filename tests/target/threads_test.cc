// Several Ms: goroutines run on all of them, a Mutex holds under contention,
// Notes wake across threads, and every M's procid is its kernel thread id.
#include "check.h"
#include "rt/atomic.h"
#include "rt/lock.h"
#include "rt/os.h"
#include "rt/runtime.h"

using namespace rt;

namespace {

constexpr uint32 kMs = 4;
constexpr int kWorkers = 8;
constexpr int kIncrements = 2000;

Mutex counter_lock;
uint32 counter; // guarded by counter_lock, updated non-atomically on purpose
uint32 done;
M* seen_m[kWorkers];
bool procid_ok[kWorkers];

struct Worker : FuncVal {
    int id;
};
Worker workers[kWorkers];

RT_FUNCVAL_ABI void worker_main(RT_FUNCVAL_PARAMS(Worker, self)) {
    for (int i = 0; i < kIncrements; i++) {
        lock(&counter_lock);
        uint32 v = counter;
        if (i % 64 == 0) {
            osyield(); // widen the window a data race would need
        }
        counter = v + 1;
        unlock(&counter_lock);
        if (i % 256 == 0) {
            gosched();
        }
    }
    M* mp = getm();
    seen_m[self->id] = mp;
    procid_ok[self->id] = mp->procid == os_thread_id();
    atomic::add(&done, uint32{1});
}

Note note;
struct Waker : FuncVal {};
Waker waker;

RT_FUNCVAL_ABI void waker_main(RT_FUNCVAL_PARAMS(Waker, self)) {
    (void)self;
    usleep(2000);
    notewakeup(&note);
}

} // namespace

int rt::main(int, char**) {
    startm_count(kMs);
    uint32 ms = 0;
    for (M* mp = allm_head(); mp != nullptr; mp = mp->alllink) {
        ms++;
    }
    CHECK_EQ(ms, kMs);

    for (int i = 0; i < kWorkers; i++) {
        workers[i].fn = reinterpret_cast<uintptr>(&worker_main);
        workers[i].id = i;
        newproc(&workers[i]);
    }
    while (atomic::load(&done) != kWorkers) {
        gosched();
    }
    CHECK_EQ(counter, static_cast<uint32>(kWorkers * kIncrements));
    for (int i = 0; i < kWorkers; i++) {
        CHECK(seen_m[i] != nullptr);
        CHECK(procid_ok[i]);
    }

    // A note slept on by this thread, woken from another M.
    noteclear(&note);
    waker.fn = reinterpret_cast<uintptr>(&waker_main);
    newproc(&waker);
    notesleep(&note); // returns only once the waker's notewakeup ran
    noteclear(&note);
    CHECK(!notetsleep(&note, 1000000)); // nobody wakes it: a 1 ms timeout

    println("selftest threads: ok");
    return 0;
}
