// Signals on the target: the handler runs on the M's gsignal stack with g
// and m known, for a tgkill to a chosen M and for the SIGPROF timer.
#include "check.h"
#include "rt/atomic.h"
#include "rt/os.h"
#include "rt/runtime.h"
#include "rt/signal.h"

using namespace rt;

namespace {

uint32 usr1;
uint32 prof;
uint32 bad;

void handler(const SigContext& c) {
    G* gsig = c.m->gsignal;
    uintptr here = reinterpret_cast<uintptr>(&gsig);
    bool on_gsignal = here >= gsig->stack_lo && here < gsig->stack_hi;
    if (c.m->magic != kMMagic || getg() != gsig || !on_gsignal || c.g->m != c.m) {
        atomic::add(&bad, uint32{1});
    }
    atomic::add(c.sig == kSigUsr1 ? &usr1 : &prof, uint32{1});
}

} // namespace

int rt::main(int, char**) {
    signal_handle(kSigUsr1, handler);
    signal_handle(kSigProf, handler);
    G* me = getg();

    for (int i = 0; i < 5; i++) {
        CHECK_EQ(os_tgkill(getm()->procid, kSigUsr1), 0);
    }
    CHECK_EQ(atomic::load(&usr1), 5u); // a signal to oneself is delivered at once
    CHECK(getg() == me);

    CHECK_EQ(os_setitimer_prof(1000), 0);
    volatile uint64 spin = 0;
    while (atomic::load(&prof) < 5) {
        spin = spin + 1;
    }
    os_setitimer_prof(0);
    CHECK_EQ(atomic::load(&bad), 0u);
    CHECK(getg() == me);
    println("selftest signal: ok");
    return 0;
}
