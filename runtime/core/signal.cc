// The portable part of signal handling: sigtramp (sys_<os>_<arch>.S) calls
// rt_sighandler, which finds g and m, switches to gsignal and runs the
// handler the program registered for the signal.
#include "rt/signal.h"

#include "rt/atomic.h"
#include "rt/os.h"
#include "rt/runtime.h"
#include "rt/throw.h"

namespace rt {

namespace {
SigHandler handlers[kNumSig];
uint32 without_m;
} // namespace

void initsig() {}

void signal_handle(int sig, SigHandler h) {
    if (sig <= 0 || sig >= kNumSig) {
        throw_("signal_handle: bad signal number");
    }
    atomic::store(&handlers[sig], h);
    os_sigaction(sig);
}

uint32 signals_without_m() {
    return atomic::load(&without_m);
}

} // namespace rt

extern "C" void rt_sighandler(int sig, void* info, void* uctx) {
    using namespace rt;
    G* g = getg();
    if (g == nullptr) {
        // A thread the runtime did not create and has not adopted: there is
        // no m, so no gsignal and no handler to run. Count it and return.
        atomic::add(&without_m, uint32{1});
        return;
    }
    // On arm, g is whatever sigtramp left in r10: if it trusted a register
    // foreign code had clobbered, this is where the runtime falls over.
    M* mp = g->m;
    SigContext c{sig, g, mp, sigctxt_pc(uctx), sigctxt_sp(uctx), info, uctx};
    setg(mp->gsignal);
    atomic::add(&mp->signals, uint32{1});
    if (SigHandler h = atomic::load(&handlers[sig])) {
        h(c);
    }
    setg(g);
}
