// amd64: g and m live in the TLS block at %fs:0 (set with arch_prctl).
#pragma once

#include "rt/layout.h"
#include "rt/types.h"

#define RT_ARCH_NAME "amd64"
#define RT_PCQUANTUM 1
#define RT_STACK_ALIGN 16

// A FuncVal's entry receives ctxt in rdx (gogo's context register, as in Go):
// under the SysV ABI that is the third integer parameter.
#define RT_FUNCVAL_ABI
#define RT_FUNCVAL_PARAMS(T, name) rt::uintptr, rt::uintptr, T* name

namespace rt {
struct G;
struct M;

inline G* arch_getg() {
    G* g;
    asm volatile("mov %%fs:%c1, %0" : "=r"(g) : "i"(TLS_G));
    return g;
}

inline M* arch_getm() {
    M* m;
    asm volatile("mov %%fs:%c1, %0" : "=r"(m) : "i"(TLS_M));
    return m;
}

inline void arch_setgm(G* g, M* m) {
    asm volatile("mov %0, %%fs:%c1" : : "r"(g), "i"(TLS_G) : "memory");
    asm volatile("mov %0, %%fs:%c1" : : "r"(m), "i"(TLS_M) : "memory");
}
} // namespace rt
