// The runtime core's central types: Gobuf, G, M, FuncVal, and the scheduler's
// entry points. Modelled on the Go runtime (runtime2.go, proc.go), written for
// a freestanding C++ build.
#pragma once

#include "rt/arch.h"
#include "rt/layout.h"
#include "rt/lock.h"
#include "rt/types.h"

namespace rt {

struct G;
struct M;

// Saved execution context. gosave fills sp/pc/g; gogo restores sp, hands ret
// (in the C return register) and ctxt (in the arch's context register) to the
// code at pc, and on arm also restores lr.
struct Gobuf {
    uintptr sp;
    uintptr pc;
    G* g;
    uintptr ret;
    void* ctxt;
    uintptr lr;
};

// A function value: fn is entered with the FuncVal itself as ctxt, so a
// closure finds its captured variables. Closures derive from it and declare
// their entry with RT_FUNCVAL_ABI / RT_FUNCVAL_PARAMS (rt/arch.h).
struct FuncVal {
    uintptr fn;
};

enum class GStatus : uint32 { idle, runnable, running, waiting, dead };

struct G {
    uintptr stack_lo;
    uintptr stack_hi;
    Gobuf sched;
    M* m;
    G* schedlink;
    GStatus status;
    uint32 goid;
    const char* waitreason;
};

struct TlsBlock {
    G* g;
    M* m;
};

// Every M carries this, so code handed an M it did not make (a signal
// handler reading a register, a callback reading TLS) can tell a real M.
constexpr uint32 kMMagic = 0x4d4d4d4d;

struct M {
    G* g0;           // scheduler stack; on an extra M, the foreign thread's stack
    G* curg;         // the G running on this M (or the extra M's callback G)
    G* gsignal;      // signal handler stack, installed by minit with sigaltstack
    uint32 magic;    // kMMagic
    uint32 id;       // 0 for m0, then in creation order
    int64 procid;    // the kernel's id for this thread: gettid / _lwp_self
    TlsBlock tls;    // the thread pointer points here on threads the runtime made
    M* alllink;      // on allm
    M* schedlink;    // on the idle list or the extra-M list
    M* nextwaitm;    // next M waiting for a Mutex (lock_sema.cc)
    Note park;       // an idle M sleeps here
    uint32 waitsema; // semaphore count (Linux: futex word)
    uint32 waitsemalock;
    bool is_extra;     // made for callbacks on threads the runtime never created
    uint32 incallback; // depth of cgo callbacks running on this M
    uint32 signals;    // signals handled on this M
    uint32 started;    // set once minit has run on the M's thread
};

static_assert(__builtin_offsetof(Gobuf, sp) == GOBUF_SP);
static_assert(__builtin_offsetof(Gobuf, pc) == GOBUF_PC);
static_assert(__builtin_offsetof(Gobuf, g) == GOBUF_G);
static_assert(__builtin_offsetof(Gobuf, ret) == GOBUF_RET);
static_assert(__builtin_offsetof(Gobuf, ctxt) == GOBUF_CTXT);
static_assert(__builtin_offsetof(Gobuf, lr) == GOBUF_LR);
static_assert(sizeof(Gobuf) == GOBUF_SIZE);
static_assert(__builtin_offsetof(G, stack_lo) == G_STACK_LO);
static_assert(__builtin_offsetof(G, stack_hi) == G_STACK_HI);
static_assert(__builtin_offsetof(G, sched) == G_SCHED);
static_assert(__builtin_offsetof(G, m) == G_M);
static_assert(__builtin_offsetof(M, g0) == M_G0);
static_assert(__builtin_offsetof(M, curg) == M_CURG);
static_assert(__builtin_offsetof(M, tls) == M_TLS);
static_assert(__builtin_offsetof(TlsBlock, g) == TLS_G);
static_assert(__builtin_offsetof(TlsBlock, m) == TLS_M);

} // namespace rt

// Assembly entry points (asm_<arch>.S). C linkage so the names are plain.
extern "C" {
// Saves the caller's sp and pc in buf (ret, ctxt, lr cleared) and returns 0.
// When a gogo later resumes buf, gosave "returns again" with buf->ret, like
// setjmp: returns_twice makes the compiler keep nothing live in registers.
__attribute__((returns_twice)) rt::uintptr rt_gosave(rt::Gobuf* buf);
// Restores buf: sp, g, ret, ctxt (and lr on arm); clears sp, ret, ctxt in buf;
// jumps to buf->pc.
[[noreturn]] void rt_gogo(rt::Gobuf* buf);
// Saves the current G's context in g->sched, switches to g0's stack and calls
// fn(g). fn must not return; the G continues when someone gogo's its sched.
void rt_mcall(void (*fn)(rt::G*));
// The return pc of every goroutine's first function (its first instruction is
// a one-PCQuantum nop so that goexit + PCQuantum is a real return address).
void rt_goexit();
}

namespace rt {

// gostartcall_<arch>.cc: make buf look as if it had just called fn with
// context ctxt and then saved itself.
void gostartcall(Gobuf* buf, uintptr fn, void* ctxt);
void gostartcallfn(Gobuf* buf, FuncVal* fv);

// proc.cc: the scheduler.
G* getg();
void newproc(FuncVal* fv);
void gosched();
[[noreturn]] void goexit1();
void park(const char* reason);
void ready(G* gp);
uint32 goroutines_alive();
// Internal: a G with a fresh stack, a new M (its g0 and gsignal), and
// setting g (and m, from g->m) for this thread.
G* malg(uintptr stack_size);
M* allocm(bool is_extra);
void setg(G* gp);
// Run Gs on at least n threads (Ms) in total, m0 included.
void startm_count(uint32 n);
// The list of every M (runtime-made and extra), newest first.
M* allm_head();
M* getm();

// The scenario's or self-test's entry, run as the main goroutine.
int main(int argc, char** argv);

} // namespace rt
