// The "C side" of the cgo-style scenarios: code built WITHOUT the runtime's
// register reservations (on arm it may use r9 and r10), standing in for a C
// library. It makes threads the runtime never created (with a TLS block of
// their own, as pthread_create would: Linux, a raw clone; NetBSD, an LWP
// from _lwp_create; minit never runs on them),
// calls back into the runtime from them, and clobbers registers while it
// runs. Only plain C types cross this boundary.
#pragma once

#include "rt/types.h"

extern "C" {

struct ForeignThread {
    // The thread's TLS block: the thread pointer points here, so the slots
    // where the runtime keeps g and m (the first two words) start out nil.
    rt::uintptr tls[8];
    volatile rt::uint32 alive; // cleared when the thread exits (and its stack is free)
    rt::int64 tid;
    void (*fn)(void*);
    void* arg;
    void* stack;
};

// Starts fn(arg) on a new thread; 0 on success, -errno on failure.
int foreign_thread_start(ForeignThread* t, void (*fn)(void*), void* arg);
// Waits for the thread to exit and frees its stack.
void foreign_thread_join(ForeignThread* t);

// Calls fn(arg) in the runtime through crossrt_cgocallback, as C code
// calling an exported Go function does.
void foreign_call_runtime(void (*fn)(void*), void* arg);

// Spins until *stop is non-zero, with the registers the runtime reserves
// (arm: r9 = m, r10 = g) holding garbage and every other register the C ABI
// lets it use clobbered; returns the number of rounds. The code between
// foreign_clobber_begin and foreign_clobber_end is the clobbering loop, so a
// signal handler can tell that it interrupted it.
rt::uintptr foreign_clobber_until(volatile rt::uint32* stop);
extern char foreign_clobber_begin[];
extern char foreign_clobber_end[];

// The kernel's id of the calling thread.
rt::int64 foreign_gettid();
}
