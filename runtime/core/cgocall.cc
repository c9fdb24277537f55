// The cgo-style bridge's portable part: cgocall out to foreign code, and the
// callback path in: badcgocallback (diagnose mode), needm/dropm (adopt mode)
// and running the callback on a G.
#include "rt/atomic.h"
#include "rt/cgo.h"
#include "rt/lock.h"
#include "rt/os.h"
#include "rt/runtime.h"
#include "rt/stack.h"
#include "rt/throw.h"

namespace rt {

namespace {
bool cgo_used;
SpinLock extram_lock;
M* extram; // free extra Ms, linked through schedlink
uint32 extram_count;
uint32 extram_on_list;

// Space left between a stack pointer we know of and frames we put below it.
constexpr uintptr kStackGap = 256;

[[noreturn, maybe_unused]] void badcgocallback() {
    static const char msg[] = "runtime: cgo callback on thread not created by Go.\n";
    sys_write(2, msg, sizeof(msg) - 1);
    sys_exit(2);
}

// Binds an extra M to this foreign thread: its g0 is the thread's own stack,
// its g and m go into the thread's TLS block, and minit runs here, on the
// thread itself, so procid and the signal stack are this thread's.
[[maybe_unused]] void needm() {
    spin_lock(&extram_lock);
    M* mp = extram;
    if (mp != nullptr) {
        extram = mp->schedlink;
        mp->schedlink = nullptr;
        extram_on_list--;
    }
    spin_unlock(&extram_lock);
    if (mp == nullptr) {
        mp = allocm(true);
        G* gp = malg(kStackSize);
        gp->m = mp;
        gp->status = GStatus::running;
        mp->curg = gp;
        atomic::add(&extram_count, uint32{1});
    }
    uintptr here = reinterpret_cast<uintptr>(&mp);
    mp->g0->stack_hi = here + kStackGap;
    mp->g0->stack_lo = here - 32 * 1024;
    setg(mp->g0);
    minit();
    atomic::store(&mp->started, uint32{1});
}

// Unbinds the extra M from this thread and puts it back on the list.
[[maybe_unused]] void dropm() {
    M* mp = getm();
    unminit();
    arch_setgm(nullptr, nullptr);
    spin_lock(&extram_lock);
    mp->schedlink = extram;
    extram = mp;
    extram_on_list++;
    spin_unlock(&extram_lock);
}

// Runs fn(arg) on the M's current G, below the frames that G already has,
// and comes back to g0 here. Calls on g0 made from within fn (a nested
// cgocall) must use the stack below this frame, not g0's usual base.
void cgocallbackg(M* mp, void (*fn)(void*), void* arg) {
    G* g0 = mp->g0;
    G* gp = mp->curg;
    if (gp == nullptr) {
        throw_("cgocallback: no goroutine on this m");
    }
    uintptr sp = mp->is_extra ? gp->stack_hi - kStackTopReserve : gp->sched.sp - kStackGap;
    uintptr saved_g0_sp = g0->sched.sp;
    g0->sched.sp = reinterpret_cast<uintptr>(&saved_g0_sp) - kStackGap;
    mp->incallback++;
    setg(gp);
    rt_call_on_stack(fn, arg, sp);
    setg(g0);
    mp->incallback--;
    g0->sched.sp = saved_g0_sp;
}
} // namespace

intptr cgocall(intptr (*fn)(void*), void* arg) {
    atomic::store(&cgo_used, true);
    return rt_asmcgocall(fn, arg);
}

bool cgo_was_used() {
    return atomic::load(&cgo_used);
}

uint32 extram_made() {
    return atomic::load(&extram_count);
}

uint32 extram_free() {
    spin_lock(&extram_lock);
    uint32 n = extram_on_list;
    spin_unlock(&extram_lock);
    return n;
}

} // namespace rt

// Called by crossrt_cgocallback (asm_<arch>.S) once g and m are loaded.
extern "C" void rt_cgocallback_go(void (*fn)(void*), void* arg) {
    using namespace rt;
    G* g = getg();
    bool adopted = false;
#ifndef RT_REGRESS_NO_BADCALLBACK
    // If g is nil, this thread was not created by the runtime and has no m:
    // say so clearly (diagnose) or lend it an extra M (adopt). Without this
    // check the next line dereferences nil: a bare SIGSEGV.
    if (g == nullptr) {
        if (cgo_callback_mode() == CgoCallbackMode::diagnose) {
            badcgocallback();
        }
        needm();
        adopted = true;
        g = getg();
    }
#endif
    M* mp = g->m;
    cgocallbackg(mp, fn, arg);
    if (adopted) {
        dropm();
    }
}
