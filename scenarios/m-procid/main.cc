// m-procid: seed 000 (Go commit "runtime: always initialise procid on
// netbsd"). Every M must take its id from the kernel in minit, on its own
// thread, however the M was made; the old code set procid = 1 once in
// osinit, for the main thread only. On NetBSD a wrong procid loses
// _lwp_unpark wakeups; on Linux it sends tgkill to the wrong thread.
//
// Checked two ways, for runtime-made Ms and for Ms adopted by callbacks on
// foreign threads: procid equals the thread's own gettid, and a signal sent
// to procid with tgkill lands on that M.
#include "foreign.h"
#include "rt/atomic.h"
#include "rt/cgo.h"
#include "rt/os.h"
#include "rt/print.h"
#include "rt/runtime.h"
#include "rt/signal.h"

using namespace rt;

namespace {

constexpr uint32 kMs = 3;
constexpr int kForeignThreads = 2;

uint32 failures;

// The runtime counts every signal an M handles in m->signals; that count,
// not this handler, tells which M a signal reached.
void on_usr1(const SigContext&) {}

void fail(const char* what, M* mp, int64 procid, int64 tid) {
    atomic::add(&failures, uint32{1});
    eprintln("m", mp->id, ": ", what, ": procid ", procid, ", kernel thread id ", tid);
}

// Sends SIGUSR1 to mp's procid and reports whether mp handled it (within
// 200 ms; a signal to one's own thread is handled before tgkill returns).
bool signal_lands_on(M* mp) {
    uint32 before = atomic::load(&mp->signals);
    if (os_tgkill(mp->procid, kSigUsr1) != 0) {
        return false;
    }
    for (int i = 0; i < 2000 && atomic::load(&mp->signals) == before; i++) {
        usleep(100);
    }
    return atomic::load(&mp->signals) != before;
}

void check_own_m(const char* kind) {
    M* mp = getm();
    int64 tid = os_thread_id();
    if (mp->procid != tid) {
        fail(kind, mp, mp->procid, tid);
    } else if (!signal_lands_on(mp)) {
        fail("tgkill(procid) did not reach this M", mp, mp->procid, tid);
    }
}

uint32 checked;
struct Checker : FuncVal {};
Checker checkers[8];

RT_FUNCVAL_ABI void checker_main(RT_FUNCVAL_PARAMS(Checker, self)) {
    (void)self;
    check_own_m("runtime M");
    atomic::add(&checked, uint32{1});
}

void callback(void*) {
    check_own_m("adopted M");
}

void foreign_body(void*) {
    for (int i = 0; i < 2; i++) {
        foreign_call_runtime(callback, nullptr);
    }
}

intptr run_foreign(void*) {
    ForeignThread t[kForeignThreads];
    for (auto& th : t) {
        if (foreign_thread_start(&th, foreign_body, nullptr) != 0) {
            return -1;
        }
    }
    for (auto& th : t) {
        foreign_thread_join(&th);
    }
    return 0;
}

} // namespace

int rt::main(int, char**) {
    signal_handle(kSigUsr1, on_usr1);
    startm_count(kMs);

    // The main thread's M first: the historic bug's own case.
    check_own_m("main thread's M");

    // Goroutines spread over the Ms; each checks the M it runs on.
    for (auto& c : checkers) {
        c.fn = reinterpret_cast<uintptr>(&checker_main);
        newproc(&c);
    }
    while (atomic::load(&checked) != 8) {
        gosched();
    }

    // Every runtime M, idle ones too: a signal to its procid must reach it.
    // A new M's thread may still be starting: wait (up to a second) until
    // minit has run on it, or its procid means nothing yet.
    uint32 ms = 0;
    for (M* mp = allm_head(); mp != nullptr; mp = mp->alllink) {
        if (mp->is_extra || mp == getm()) {
            continue;
        }
        ms++;
        for (int i = 0; i < 10000 && atomic::load(&mp->started) == 0; i++) {
            usleep(100);
        }
        if (!signal_lands_on(mp)) {
            fail("tgkill(procid) did not reach this idle M", mp, mp->procid, -1);
        }
    }
    println("runtime Ms checked: ", ms + 1);

    set_cgo_callback_mode(CgoCallbackMode::adopt);
    if (cgocall(run_foreign, nullptr) != 0) {
        eprintln("could not start foreign threads");
        return 1;
    }
    println("adopted Ms checked on ", kForeignThreads, " foreign threads");

    if (failures != 0) {
        eprintln("m-procid: ", failures, " Ms with a wrong procid");
        return 1;
    }
    println("m-procid: every M's procid is its kernel thread id");
    return 0;
}
