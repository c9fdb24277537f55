// Goroutine stacks and runtime-internal allocation.
#pragma once

#include "rt/types.h"

namespace rt {

constexpr uintptr kPageSize = 4096;
// Every G's stack: mmap'd, with an inaccessible guard page at its low end so
// that an overflow faults instead of corrupting a neighbour.
constexpr uintptr kStackSize = 64 * 1024;
// Bytes left unused at a new stack's top. They are zero, so a function that
// returns without a pushed return pc (a broken gostartcall) finds 0 there
// rather than faulting on the page above.
constexpr uintptr kStackTopReserve = 64;

struct Stack {
    uintptr lo; // lowest usable byte (above the guard page)
    uintptr hi; // one past the highest byte
};

// A stack of size bytes, the guard page included.
Stack stackalloc(uintptr size);
void stackfree(Stack s);

// Zeroed memory that is never freed (Gs, Ms); nullptr-safe: throws on failure.
void* persistentalloc(uintptr size);

template <typename T>
T* persistentnew() {
    return static_cast<T*>(persistentalloc(sizeof(T)));
}

} // namespace rt
