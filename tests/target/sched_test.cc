// The scheduler on the target: FIFO order under gosched, park/ready, closure
// contexts, and reuse of exited Gs.
#include "check.h"
#include "rt/runtime.h"

using namespace rt;

namespace {

constexpr int kWorkers = 5;
constexpr int kRounds = 4;
int trace[kWorkers * kRounds];
int trace_len;
int finished;

struct Worker : FuncVal {
    int id;
};
Worker workers[kWorkers];

RT_FUNCVAL_ABI void worker_main(RT_FUNCVAL_PARAMS(Worker, self)) {
    for (int round = 0; round < kRounds; round++) {
        trace[trace_len++] = self->id;
        gosched();
    }
    finished++;
}

G* sleeper;
bool woke;
struct Sleeper : FuncVal {};
Sleeper sleeper_fn;

RT_FUNCVAL_ABI void sleeper_main(RT_FUNCVAL_PARAMS(Sleeper, self)) {
    (void)self;
    sleeper = getg();
    park("test sleep");
    woke = true;
}

} // namespace

int rt::main(int, char**) {
    uint32 base = goroutines_alive(); // the main goroutine
    for (int i = 0; i < kWorkers; i++) {
        workers[i].fn = reinterpret_cast<uintptr>(&worker_main);
        workers[i].id = i;
        newproc(&workers[i]);
    }
    CHECK_EQ(goroutines_alive(), base + kWorkers);
    while (finished < kWorkers) {
        gosched();
    }
    // Round-robin: every round visits the workers in creation order.
    CHECK_EQ(trace_len, kWorkers * kRounds);
    for (int k = 0; k < trace_len; k++) {
        CHECK_EQ(trace[k], k % kWorkers);
    }
    gosched(); // let the workers' goexit run
    CHECK_EQ(goroutines_alive(), base);

    sleeper_fn.fn = reinterpret_cast<uintptr>(&sleeper_main);
    newproc(&sleeper_fn);
    gosched();
    CHECK(sleeper != nullptr);
    CHECK(sleeper->status == GStatus::waiting);
    gosched();
    CHECK(!woke); // parked Gs are not run
    ready(sleeper);
    gosched();
    CHECK(woke);

    println("selftest sched: ok");
    return 0;
}
