// arm: g lives in r10 and m in r9, as in the Go runtime. The runtime core is
// compiled with -ffixed-r9 -ffixed-r10 so the compiler never uses them; code
// that was not (foreign code) may clobber them, so every change is also saved
// to the TLS block that TPIDRURO points at (save_gm), from where the signal
// trampoline and cgocallback can reload them (load_gm).
#pragma once

#include "rt/layout.h"
#include "rt/types.h"

#define RT_ARCH_NAME "arm"
#define RT_PCQUANTUM 4
#define RT_STACK_ALIGN 8

// A FuncVal's entry receives ctxt in r2 (gogo's context register). Go uses
// r7, but r7 is callee-saved under AAPCS and a C++ function can only receive
// a value in an argument register: r2 is the third parameter.
#define RT_FUNCVAL_ABI
#define RT_FUNCVAL_PARAMS(T, name) rt::uintptr, rt::uintptr, T* name

namespace rt {
struct G;
struct M;
} // namespace rt

register rt::G* rt_g_reg asm("r10");
register rt::M* rt_m_reg asm("r9");

namespace rt {

inline void** arch_tls_block() {
    void** tp;
    asm volatile("mrc p15, 0, %0, c13, c0, 3" : "=r"(tp));
    return tp;
}

inline G* arch_getg() {
    return rt_g_reg;
}
inline M* arch_getm() {
    return rt_m_reg;
}

inline void arch_setgm(G* g, M* m) {
    rt_g_reg = g;
    rt_m_reg = m;
    void** tls = arch_tls_block();
    tls[TLS_G / RT_PTRSIZE] = g;
    tls[TLS_M / RT_PTRSIZE] = m;
}
} // namespace rt
