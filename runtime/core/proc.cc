// The scheduler: Gs from one FIFO run queue, run by any number of Ms. Gs
// start through gostartcallfn with goexit as their return pc, switch with
// mcall/gogo, and are reused after they exit. An M with nothing to run
// sleeps on its park note until ready/newproc wakes it.
#include "rt/atomic.h"
#include "rt/cgo.h"
#include "rt/lock.h"
#include "rt/os.h"
#include "rt/print.h"
#include "rt/runq.h"
#include "rt/runtime.h"
#include "rt/signal.h"
#include "rt/stack.h"
#include "rt/throw.h"

namespace rt {

namespace {

struct Sched {
    Mutex lock;
    RunQueue runq;
    M* midle; // idle Ms, linked through schedlink
    uint32 nmidle;
    uint32 mcount; // Ms the runtime made (extra Ms not included)
    G* gfree;      // dead Gs kept for reuse, linked through schedlink
    uint32 goid_gen;
    uint32 alive;
};

Sched sched;
M m0;
G g0_m0;
M* allm;
uint32 mid_gen;

int main_argc;
char** main_argv;

constexpr uintptr kG0StackSize = 64 * 1024;
constexpr uintptr kSignalStackSize = 32 * 1024;

// Callers hold sched.lock.
void mput(M* mp) {
    mp->schedlink = sched.midle;
    sched.midle = mp;
    sched.nmidle++;
}

M* mget() {
    M* mp = sched.midle;
    if (mp != nullptr) {
        sched.midle = mp->schedlink;
        mp->schedlink = nullptr;
        sched.nmidle--;
    }
    return mp;
}

// Puts gp on the run queue and wakes an idle M for it. Callers hold
// sched.lock.
void runqput_wake(G* gp) {
    sched.runq.push_back(gp);
    if (M* mp = mget()) {
        notewakeup(&mp->park);
    }
}

// A deadlock is every runtime M idle with nothing runnable. Once foreign
// code has been called, a foreign thread may still call back and make work,
// so (as in Go) nothing is reported then.
void checkdead() {
    if (cgo_was_used()) {
        return;
    }
    if (sched.nmidle + 1 == sched.mcount && sched.runq.empty()) {
        throw_("all goroutines are asleep - deadlock!");
    }
}

[[noreturn]] void execute(G* gp) {
    M* mp = getm();
    mp->curg = gp;
    gp->m = mp;
    gp->status = GStatus::running;
    rt_gogo(&gp->sched);
}

[[noreturn]] void schedule() {
    M* mp = getm();
    if (mp->incallback != 0) {
        throw_("a goroutine in a cgo callback cannot block or yield");
    }
    lock(&sched.lock);
    for (;;) {
        if (G* gp = sched.runq.pop_front()) {
            unlock(&sched.lock);
            execute(gp);
        }
        checkdead();
        noteclear(&mp->park);
        mput(mp);
        unlock(&sched.lock);
        notesleep(&mp->park);
        lock(&sched.lock);
    }
}

G* gfget() {
    lock(&sched.lock);
    G* gp = sched.gfree;
    if (gp != nullptr) {
        sched.gfree = gp->schedlink;
        gp->schedlink = nullptr;
    }
    unlock(&sched.lock);
    return gp != nullptr ? gp : malg(kStackSize);
}

void gosched_m(G* gp) {
    gp->status = GStatus::runnable;
    gp->m->curg = nullptr;
    lock(&sched.lock);
    runqput_wake(gp);
    unlock(&sched.lock);
    schedule();
}

void park_m(G* gp) {
    gp->status = GStatus::waiting;
    gp->m->curg = nullptr;
    schedule();
}

void goexit0(G* gp) {
    gp->status = GStatus::dead;
    gp->m->curg = nullptr;
    gp->m = nullptr;
    gp->waitreason = nullptr;
    lock(&sched.lock);
    sched.alive--;
    gp->schedlink = sched.gfree;
    sched.gfree = gp;
    unlock(&sched.lock);
    schedule();
}

struct MainFunc : FuncVal {};

RT_FUNCVAL_ABI void runtime_main(RT_FUNCVAL_PARAMS(MainFunc, fv)) {
    (void)fv;
    sys_exit(rt::main(main_argc, main_argv));
}

MainFunc main_func;

// Records g0's stack position for mcall, then runs the scheduler forever.
[[noreturn]] void mstart() {
    rt_gosave(&getg()->sched);
    schedule();
}

void allm_add(M* mp) {
    M* head;
    do {
        head = atomic::load(&allm);
        mp->alllink = head;
    } while (!atomic::cas(&allm, head, mp));
}

void newm() {
    M* mp = allocm(false);
    lock(&sched.lock);
    sched.mcount++;
    unlock(&sched.lock);
    newosproc(mp);
}

} // namespace

G* getg() {
    return arch_getg();
}
M* getm() {
    return arch_getm();
}
M* allm_head() {
    return atomic::load(&allm);
}

void setg(G* gp) {
    arch_setgm(gp, gp != nullptr ? gp->m : nullptr);
}

G* malg(uintptr stack_size) {
    G* gp = persistentnew<G>();
    Stack s = stackalloc(stack_size);
    gp->stack_lo = s.lo;
    gp->stack_hi = s.hi;
    return gp;
}

M* allocm(bool is_extra) {
    M* mp = persistentnew<M>();
    mp->magic = kMMagic;
    mp->id = atomic::add(&mid_gen, uint32{1});
    mp->is_extra = is_extra;
    mp->g0 = is_extra ? persistentnew<G>() : malg(kG0StackSize);
    mp->g0->m = mp;
    mp->gsignal = malg(kSignalStackSize);
    mp->gsignal->m = mp;
    allm_add(mp);
    return mp;
}

// The first code a thread made by newosproc runs (on mp->g0's stack).
extern "C" [[noreturn]] void rt_mstart_thread(M* mp) {
    settls(&mp->tls);
    setg(mp->g0);
    minit();
    atomic::store(&mp->started, uint32{1});
    mstart();
}

void startm_count(uint32 n) {
    for (;;) {
        lock(&sched.lock);
        bool enough = sched.mcount >= n;
        unlock(&sched.lock);
        if (enough) {
            return;
        }
        newm();
    }
}

void gostartcallfn(Gobuf* buf, FuncVal* fv) {
    gostartcall(buf, fv->fn, fv);
}

void newproc(FuncVal* fv) {
    G* newg = gfget();
    newg->sched = Gobuf{};
    // x86 wants sp 16-aligned before the call that gostartcall simulates.
    uintptr sp = newg->stack_hi - kStackTopReserve;
    sp &= ~uintptr{RT_STACK_ALIGN - 1};
    newg->sched.sp = sp;
    newg->sched.pc = reinterpret_cast<uintptr>(&rt_goexit) + RT_PCQUANTUM;
    newg->sched.g = newg;
    gostartcallfn(&newg->sched, fv);
    newg->status = GStatus::runnable;
    lock(&sched.lock);
    newg->goid = ++sched.goid_gen;
    sched.alive++;
    runqput_wake(newg);
    unlock(&sched.lock);
}

void gosched() {
    rt_mcall(gosched_m);
}

void park(const char* reason) {
    getg()->waitreason = reason;
    rt_mcall(park_m);
}

void ready(G* gp) {
    lock(&sched.lock);
    if (gp->status != GStatus::waiting) {
        throw_("ready: goroutine is not waiting");
    }
    gp->status = GStatus::runnable;
    gp->waitreason = nullptr;
    runqput_wake(gp);
    unlock(&sched.lock);
}

uint32 goroutines_alive() {
    lock(&sched.lock);
    uint32 n = sched.alive;
    unlock(&sched.lock);
    return n;
}

[[noreturn]] void goexit1() {
    rt_mcall(goexit0);
    __builtin_unreachable();
}

} // namespace rt

extern "C" [[noreturn]] void rt_goexit1() {
    rt::goexit1();
}

// Entered from _start (rt0_<os>_<arch>.S) on the initial thread's stack, with
// sp pointing at argc.
extern "C" [[noreturn]] void rt_start(rt::uintptr* sp) {
    using namespace rt;
    main_argc = static_cast<int>(sp[0]);
    main_argv = reinterpret_cast<char**>(sp + 1);

    m0.magic = kMMagic;
    m0.g0 = &g0_m0;
    g0_m0.m = &m0;
    // g0 runs on the initial thread's stack; the kernel grows it on demand.
    g0_m0.stack_hi = reinterpret_cast<uintptr>(sp);
    g0_m0.stack_lo = g0_m0.stack_hi - 256 * 1024;
    settls(&m0.tls);
    setg(&g0_m0);
    osinit();
    goenvs(main_argv + main_argc + 1);
    m0.gsignal = malg(kSignalStackSize);
    m0.gsignal->m = &m0;
    allm_add(&m0);
    sched.mcount = 1;
    minit();
    m0.started = 1;
    initsig();

    main_func.fn = reinterpret_cast<uintptr>(&runtime_main);
    newproc(&main_func);
    mstart();
}
