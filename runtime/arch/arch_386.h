// 386: g and m live in the TLS block at %gs:0 (a GDT entry made with
// set_thread_area; %gs holds its selector).
#pragma once

#include "rt/layout.h"
#include "rt/types.h"

#define RT_ARCH_NAME "386"
#define RT_PCQUANTUM 1
#define RT_STACK_ALIGN 16

// A FuncVal's entry receives ctxt in edx (gogo's context register, as in Go):
// regparm(2) passes the first two integer parameters in eax and edx.
#define RT_FUNCVAL_ABI __attribute__((regparm(2)))
#define RT_FUNCVAL_PARAMS(T, name) rt::uintptr, T* name

namespace rt {
struct G;
struct M;

inline G* arch_getg() {
    G* g;
    asm volatile("mov %%gs:%c1, %0" : "=r"(g) : "i"(TLS_G));
    return g;
}

inline M* arch_getm() {
    M* m;
    asm volatile("mov %%gs:%c1, %0" : "=r"(m) : "i"(TLS_M));
    return m;
}

inline void arch_setgm(G* g, M* m) {
    asm volatile("mov %0, %%gs:%c1" : : "r"(g), "i"(TLS_G) : "memory");
    asm volatile("mov %0, %%gs:%c1" : : "r"(m), "i"(TLS_M) : "memory");
}
} // namespace rt
