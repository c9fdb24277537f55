// signal-at-instruction: the signal-time g/m reload of seed 002, hit with one
// signal at one exact instruction instead of a storm of timer signals.
//
// The unicorn kernel delivers SIGUSR1 after exactly the instruction count the
// manifest's `inject` names. By then the only thread is spinning in foreign
// code that keeps r9/r10 (arm's m and g) clobbered, so the signal lands there,
// at the same pc in every run. The handler checks that the runtime found its
// own g and m, reports where in the foreign loop it landed, and stops the loop.
// Without the reload in the arm sigtramp that one signal is enough to crash.
#include "foreign.h"
#include "rt/atomic.h"
#include "rt/cgo.h"
#include "rt/print.h"
#include "rt/runtime.h"
#include "rt/signal.h"

using namespace rt;

namespace {

uint32 stop;
uint32 signals;
uint32 bad;
uintptr landed_pc;

bool is_runtime_m(M* mp) {
    for (M* m = allm_head(); m != nullptr; m = m->alllink) {
        if (m == mp)
            return mp->magic == kMMagic;
    }
    return false;
}

void handler(const SigContext& c) {
    atomic::add(&signals, uint32{1});
    bool g_ok = c.g == c.m->g0 || c.g == c.m->curg;
    if (!is_runtime_m(c.m) || !g_ok || getg() != c.m->gsignal)
        atomic::add(&bad, uint32{1});
    landed_pc = c.pc;
    atomic::store(&stop, uint32{1});
}

intptr run_foreign_loop(void*) {
    return static_cast<intptr>(foreign_clobber_until(&stop));
}

} // namespace

int rt::main(int, char**) {
    signal_handle(kSigUsr1, handler);
    println("foreign code clobbers the g and m registers; one signal is on its way");
    cgocall(run_foreign_loop, nullptr);

    uintptr begin = reinterpret_cast<uintptr>(foreign_clobber_begin);
    uintptr end = reinterpret_cast<uintptr>(foreign_clobber_end);
    if (atomic::load(&bad) != 0) {
        eprintln("signal handler found a g or m that is not the runtime's");
        return 1;
    }
    if (landed_pc < begin || landed_pc >= end) {
        eprintln("the signal landed outside the foreign loop, at pc ", Hex{landed_pc},
                 ": move the injection point");
        return 1;
    }
    println("signal ", atomic::load(&signals), " landed in the foreign loop at +",
            landed_pc - begin, " with g and m intact");
    println("signal-at-instruction: OK");
    return 0;
}
