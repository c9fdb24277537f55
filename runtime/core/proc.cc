// The scheduler: one M (m0) running Gs from a FIFO run queue. Gs start through
// gostartcallfn with goexit as their return pc, switch with mcall/gogo, and
// are reused after they exit.
#include "rt/os.h"
#include "rt/print.h"
#include "rt/runq.h"
#include "rt/runtime.h"
#include "rt/stack.h"
#include "rt/throw.h"

namespace rt {

namespace {

M m0;
G g0_m0;
RunQueue runq;
G* gfree; // dead Gs kept for reuse, linked through schedlink
uint32 goid_gen;
uint32 alive;

int main_argc;
char** main_argv;

void setg(G* gp) {
    arch_setgm(gp, gp->m);
}

[[noreturn]] void execute(G* gp) {
    M* mp = getg()->m;
    mp->curg = gp;
    gp->m = mp;
    gp->status = GStatus::running;
    rt_gogo(&gp->sched);
}

[[noreturn]] void schedule() {
    G* gp = runq.pop_front();
    if (gp == nullptr) {
        throw_("all goroutines are asleep - deadlock!");
    }
    execute(gp);
}

G* gfget() {
    G* gp = gfree;
    if (gp != nullptr) {
        gfree = gp->schedlink;
        gp->schedlink = nullptr;
        return gp;
    }
    gp = persistentnew<G>();
    Stack s = stackalloc();
    gp->stack_lo = s.lo;
    gp->stack_hi = s.hi;
    return gp;
}

void gfput(G* gp) {
    gp->schedlink = gfree;
    gfree = gp;
}

void gosched_m(G* gp) {
    gp->status = GStatus::runnable;
    gp->m->curg = nullptr;
    runq.push_back(gp);
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
    alive--;
    gfput(gp);
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

} // namespace

G* getg() {
    return arch_getg();
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
    newg->goid = ++goid_gen;
    newg->status = GStatus::runnable;
    alive++;
    runq.push_back(newg);
}

void gosched() {
    rt_mcall(gosched_m);
}

void park(const char* reason) {
    getg()->waitreason = reason;
    rt_mcall(park_m);
}

void ready(G* gp) {
    if (gp->status != GStatus::waiting) {
        throw_("ready: goroutine is not waiting");
    }
    gp->status = GStatus::runnable;
    gp->waitreason = nullptr;
    runq.push_back(gp);
}

uint32 goroutines_alive() {
    return alive;
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

    osinit();
    m0.g0 = &g0_m0;
    m0.id = 0;
    g0_m0.m = &m0;
    // g0 runs on the initial thread's stack; the kernel grows it on demand.
    g0_m0.stack_hi = reinterpret_cast<uintptr>(sp);
    g0_m0.stack_lo = g0_m0.stack_hi - 256 * 1024;
    settls(&m0.tls);
    setg(&g0_m0);

    main_func.fn = reinterpret_cast<uintptr>(&runtime_main);
    newproc(&main_func);
    mstart();
}
