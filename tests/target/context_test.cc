// gosave/gogo/mcall/gostartcall on the target itself.
#include "check.h"
#include "rt/runtime.h"

using namespace rt;

namespace {

Gobuf saved;
int mcall_calls;
G* seen_on_g0;
G* seen_caller;

void resume_from_g0(G* gp) {
    mcall_calls++;
    seen_on_g0 = getg();
    seen_caller = gp;
    rt_gogo(&gp->sched);
}

// Keeps many values live across mcall so that a lost callee-saved register
// shows up as a wrong sum.
__attribute__((noinline)) uint32 mcall_keeps_registers(uint32 seed) {
    volatile uint32 sink = 0;
    uint32 a = seed * 3 + 1, b = seed * 5 + 2, c = seed * 7 + 3, d = seed * 11 + 4;
    uint32 e = seed * 13 + 5, f = seed * 17 + 6, h = seed * 19 + 7, i = seed * 23 + 8;
    rt_mcall(resume_from_g0);
    sink = a + b + c + d + e + f + h + i;
    return sink;
}

uint32 expected_sum(uint32 seed) {
    return seed * (3 + 5 + 7 + 11 + 13 + 17 + 19 + 23) + (1 + 2 + 3 + 4 + 5 + 6 + 7 + 8);
}

} // namespace

int rt::main(int, char**) {
    // gosave returns 0, then again with the ret that gogo handed over.
    volatile int passes = 0;
    uintptr r = rt_gosave(&saved);
    passes = passes + 1;
    if (r == 0) {
        CHECK_EQ(saved.g, getg());
        CHECK_EQ(saved.ret, 0u);
        CHECK(saved.ctxt == nullptr);
        saved.ret = 42;
        rt_gogo(&saved);
    }
    CHECK_EQ(r, 42u);
    CHECK_EQ(passes, 2);
    CHECK_EQ(saved.sp, 0u); // gogo clears what it consumed
    CHECK_EQ(saved.ret, 0u);

    // mcall runs fn on g0 with the caller's G, and the caller resumes intact.
    G* me = getg();
    for (uint32 seed = 0; seed < 50; seed++) {
        CHECK_EQ(mcall_keeps_registers(seed), expected_sum(seed));
    }
    CHECK_EQ(mcall_calls, 50);
    CHECK(seen_on_g0 == me->m->g0);
    CHECK(seen_caller == me);
    CHECK(getg() == me);

    // gostartcall makes a buffer look as if pc had just called fn.
    uintptr stack[8] = {};
    Gobuf buf{};
    buf.sp = reinterpret_cast<uintptr>(&stack[8]);
    buf.pc = 0x1234;
    int ctxt_marker = 0;
    gostartcall(&buf, 0x5678, &ctxt_marker);
    CHECK_EQ(buf.pc, 0x5678u);
    CHECK(buf.ctxt == &ctxt_marker);
#if defined(__arm__)
    CHECK_EQ(buf.lr, 0x1234u);
    CHECK_EQ(buf.sp, reinterpret_cast<uintptr>(&stack[8]));
#else
    CHECK_EQ(buf.sp, reinterpret_cast<uintptr>(&stack[7]));
    CHECK_EQ(stack[7], 0x1234u);
    CHECK_EQ(buf.lr, 0u);
#endif

    println("selftest context: ok");
    return 0;
}
