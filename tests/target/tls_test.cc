// g and m through the thread pointer: what getg says is what the TLS block
// (and on arm r10/r9) holds.
#include "check.h"
#include "rt/runtime.h"

using namespace rt;

int rt::main(int, char**) {
    G* gp = getg();
    CHECK(gp != nullptr);
    CHECK(gp->m != nullptr);
    CHECK(gp->m->curg == gp);
    CHECK(gp != gp->m->g0);
    CHECK(arch_getm() == gp->m);
    CHECK(gp->m->tls.g == gp);
    CHECK(gp->m->tls.m == gp->m);
#if defined(__arm__)
    CHECK(arch_tls_block() == reinterpret_cast<void**>(&gp->m->tls));
#endif
    gosched(); // back from the scheduler: g is still this goroutine
    CHECK(getg() == gp);
    CHECK(gp->m->tls.g == gp);
    println("selftest tls: ok");
    return 0;
}
