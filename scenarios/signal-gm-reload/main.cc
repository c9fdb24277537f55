// signal-gm-reload: seed 002 (Go commit 5cffce6, "runtime: cgo support for
// Linux/ARM"). On arm the runtime keeps g in r10 and m in r9, but foreign
// code is free to use both. A signal that lands while foreign code runs
// finds garbage there, so sigtramp must reload g and m from TLS before the
// runtime's handler touches them.
//
// The main goroutine runs foreign code that keeps r9/r10 (and every other
// register it may use) clobbered, while signals arrive: SIGPROF from the
// profiling timer, and SIGUSR1 sent with tgkill to that very thread from a
// goroutine on another M. The handler checks that the g and m it was given
// are the runtime's own and counts the deliveries that interrupted the
// foreign loop; after enough of them the loop is told to stop.
#include "foreign.h"
#include "rt/atomic.h"
#include "rt/cgo.h"
#include "rt/os.h"
#include "rt/print.h"
#include "rt/runtime.h"
#include "rt/signal.h"

using namespace rt;

namespace {

constexpr uint32 kWantInForeign = 40;
constexpr int64 kGiveUpNs = 20 * 1000000000LL;

uint32 stop;
uint32 in_foreign;
uint32 total;
uint32 bad;
int64 target_tid;

bool is_runtime_m(M* mp) {
    for (M* m = allm_head(); m != nullptr; m = m->alllink) {
        if (m == mp) {
            return mp->magic == kMMagic;
        }
    }
    return false;
}

void handler(const SigContext& c) {
    atomic::add(&total, uint32{1});
    bool g_ok = c.g == c.m->g0 || c.g == c.m->curg;
    if (!is_runtime_m(c.m) || !g_ok || getg() != c.m->gsignal) {
        atomic::add(&bad, uint32{1});
        return;
    }
    uintptr begin = reinterpret_cast<uintptr>(foreign_clobber_begin);
    uintptr end = reinterpret_cast<uintptr>(foreign_clobber_end);
    if (c.pc >= begin && c.pc < end) {
        if (atomic::add(&in_foreign, uint32{1}) >= kWantInForeign) {
            atomic::store(&stop, uint32{1});
        }
    }
}

intptr run_foreign_loop(void*) {
    return static_cast<intptr>(foreign_clobber_until(&stop));
}

struct Sender : FuncVal {};
Sender sender;

// On another M: SIGUSR1 at the thread running foreign code, until it stops.
RT_FUNCVAL_ABI void sender_main(RT_FUNCVAL_PARAMS(Sender, self)) {
    (void)self;
    int64 deadline = nanotime() + kGiveUpNs;
    while (atomic::load(&stop) == 0) {
        if (nanotime() > deadline) {
            atomic::store(&stop, uint32{2});
            break;
        }
        os_tgkill(atomic::load(&target_tid), kSigUsr1);
        usleep(500);
    }
}

} // namespace

int rt::main(int, char**) {
    startm_count(2);
    signal_handle(kSigProf, handler);
    signal_handle(kSigUsr1, handler);
    atomic::store(&target_tid, getm()->procid);
    sender.fn = reinterpret_cast<uintptr>(&sender_main);
    newproc(&sender);
    os_setitimer_prof(1000);

    println("foreign code clobbers the g and m registers while signals arrive");
    uintptr rounds = static_cast<uintptr>(cgocall(run_foreign_loop, nullptr));
    os_setitimer_prof(0);

    uint32 seen = atomic::load(&in_foreign);
    println("foreign loop ran ", rounds > 0 ? "and stopped" : "not at all");
    if (atomic::load(&bad) != 0) {
        eprintln("signal handler found a g or m that is not the runtime's: ", bad, " times");
        return 1;
    }
    if (seen < kWantInForeign) {
        eprintln("only ", seen, " signals landed in foreign code before the time limit");
        return 1;
    }
    println("signal-gm-reload: OK, ", kWantInForeign,
            " signals handled in foreign code with g and m intact");
    return 0;
}
