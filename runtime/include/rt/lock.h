// Mutex and Note, built on each M's semaphore (semasleep/semawakeup), as the
// Go runtime's lock_sema.go: the same code serves Linux (futex semaphores)
// and NetBSD (_lwp_park/_lwp_unpark). Both need the calling thread to have
// an M; SpinLock does not, for the few places that run before an M exists
// (needm on a foreign thread).
#pragma once

#include "rt/types.h"

namespace rt {

struct M;

struct Mutex {
    // 0: unlocked; kLocked set: held, and the rest is the head of a list of
    // waiting Ms linked through M::nextwaitm.
    uintptr key;
};

void lock(Mutex* l);
void unlock(Mutex* l);

// A one-shot event: one sleeper, one wakeup. noteclear before reuse.
struct Note {
    // 0: clear; kLocked: woken; otherwise the M sleeping on it.
    uintptr key;
};

void noteclear(Note* n);
void notewakeup(Note* n);
void notesleep(Note* n);
// Sleeps at most ns nanoseconds; true when woken, false on timeout.
bool notetsleep(Note* n, int64 ns);

struct SpinLock {
    uint32 held;
};

void spin_lock(SpinLock* l);
void spin_unlock(SpinLock* l);

} // namespace rt
