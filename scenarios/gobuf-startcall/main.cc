// gobuf-startcall: the Gobuf {sp, pc, g, ret, ctxt, lr} machinery of seed
// 004 (Go commit d67e7e3, "runtime: add lr, ctxt, ret to Gobuf").
//
//  1. Goroutines start through gostartcallfn with a closure: each must find
//     its own FuncVal as ctxt, a correctly aligned stack, and goexit (plus
//     PCQuantum) as its return pc, which x86 gets from the pushed pc and arm
//     from lr.
//  2. Returning from the goroutine's function must land in goexit.
//  3. gogo delivers ret: a recovery-style resume from deep in a call chain.
//  4. Nested mcall/gogo round trips keep each frame's values.
#include "rt/print.h"
#include "rt/runtime.h"
#include "rt/throw.h"

using namespace rt;

namespace {

constexpr int kClosures = 8;
constexpr uint32 kMagic = 0x5eedc0de;

[[noreturn]] void fail(const char* what) {
    throw_(what);
}

// ---- 1 and 2: closures started by newproc (gostartcallfn + goexit) ----

struct Closure : FuncVal {
    Closure* self;
    uint32 magic;
    int id;
    bool ran;
};
Closure closures[kClosures];
int returned_to_goexit;

RT_FUNCVAL_ABI __attribute__((noinline)) void closure_main(RT_FUNCVAL_PARAMS(Closure, ctxt)) {
    uintptr ret_pc = reinterpret_cast<uintptr>(__builtin_return_address(0));
    uintptr want = reinterpret_cast<uintptr>(&rt_goexit) + RT_PCQUANTUM;
    if (ret_pc != want) {
        eprintln("goroutine ", getg()->goid, ": return pc ", Hex{ret_pc}, ", want goexit+",
                 RT_PCQUANTUM, " = ", Hex{want});
        fail("gostartcall did not set up the return to goexit");
    }
    alignas(RT_STACK_ALIGN) volatile uint8 probe = 0;
    if (reinterpret_cast<uintptr>(&probe) % RT_STACK_ALIGN != 0) {
        fail("goroutine entered with a misaligned stack");
    }
    if (ctxt == nullptr || ctxt->self != ctxt || ctxt->magic != (kMagic ^ ctxt->id)) {
        eprintln("goroutine ", getg()->goid, ": ctxt ", static_cast<const void*>(ctxt));
        fail("closure context did not arrive intact");
    }
    gosched(); // a switch in between must not disturb the return path
    ctxt->ran = true;
    println("closure ", ctxt->id, ": ctxt ok, returns to goexit");
}

// ---- 3: gogo delivers ret ----

Gobuf recover_point;

__attribute__((noinline)) int panic_deep(int depth) {
    volatile int frame_local = depth;
    if (depth > 0) {
        return panic_deep(depth - 1) + frame_local;
    }
    recover_point.ret = 1; // as Go's recovery() does before gogo
    if (frame_local == 0) {
        rt_gogo(&recover_point);
    }
    return 0;
}

// ---- 4: nested mcall/gogo round trips ----

int round_trips;
G* mcall_caller;

void back_from_g0(G* gp) {
    if (getg() != gp->m->g0) {
        fail("mcall fn is not running on g0");
    }
    mcall_caller = gp;
    round_trips++;
    rt_gogo(&gp->sched);
}

__attribute__((noinline)) uint32 nested(uint32 depth) {
    uint32 local = depth * 2654435761u;
    G* before = getg();
    rt_mcall(back_from_g0);
    if (getg() != before || mcall_caller != before) {
        fail("mcall did not resume the calling goroutine");
    }
    uint32 below = depth == 0 ? 0 : nested(depth - 1);
    rt_mcall(back_from_g0);
    if (depth % 3 == 0) {
        gosched();
    }
    return below + (local ^ depth);
}

uint32 nested_expected(uint32 depth) {
    uint32 sum = 0;
    for (uint32 d = 0; d <= depth; d++) {
        sum += (d * 2654435761u) ^ d;
    }
    return sum;
}

} // namespace

int rt::main(int, char**) {
    uint32 alive_before = goroutines_alive();
    for (int i = 0; i < kClosures; i++) {
        Closure& c = closures[i];
        c.fn = reinterpret_cast<uintptr>(&closure_main);
        c.self = &c;
        c.id = i;
        c.magic = kMagic ^ i;
        newproc(&c);
    }
    while (goroutines_alive() != alive_before) {
        gosched();
    }
    for (int i = 0; i < kClosures; i++) {
        if (closures[i].ran) {
            returned_to_goexit++;
        }
    }
    println("closures that returned through goexit: ", returned_to_goexit);

    volatile int resumes = 0;
    uintptr r = rt_gosave(&recover_point);
    resumes = resumes + 1;
    if (r == 0) {
        panic_deep(20);
        fail("gogo returned");
    }
    println("recovered: ret=", r, " after ", static_cast<int>(resumes), " resumes");

    uint32 got = nested(15);
    if (got != nested_expected(15)) {
        fail("nested mcall round trips lost a frame's value");
    }
    println("mcall round trips: ", round_trips);
    println("gobuf-startcall: ok");
    return 0;
}
