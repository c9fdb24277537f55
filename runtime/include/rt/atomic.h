// Atomics for the runtime core, on the compiler's __atomic builtins (which
// need no libc: ldrex/strex on ARMv7, lock-prefixed instructions on x86).
// Sequentially consistent throughout: these are not hot paths.
#pragma once

#include "rt/types.h"

namespace rt::atomic {

template <typename T>
inline T load(const T* p) {
    return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

template <typename T>
inline void store(T* p, T v) {
    __atomic_store_n(p, v, __ATOMIC_SEQ_CST);
}

template <typename T>
inline bool cas(T* p, T old, T desired) {
    return __atomic_compare_exchange_n(p, &old, desired, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

template <typename T>
inline T xchg(T* p, T v) {
    return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
}

template <typename T>
inline T add(T* p, T delta) {
    return __atomic_add_fetch(p, delta, __ATOMIC_SEQ_CST);
}

} // namespace rt::atomic
