// Mutex and Note on M semaphores (Go's lock_sema.go). A thread that cannot
// get a lock quickly pushes its M on the lock's waiter list and sleeps on
// its own semaphore; unlock pops one waiter and wakes it.
#include "rt/atomic.h"
#include "rt/lock.h"
#include "rt/os.h"
#include "rt/runtime.h"
#include "rt/throw.h"

namespace rt {

namespace {
constexpr uintptr kLocked = 1;
constexpr int kActiveSpin = 4;
constexpr int kPassiveSpin = 1;

M* current_m() {
    G* gp = getg();
    if (gp == nullptr || gp->m == nullptr) {
        throw_("lock: no m on this thread");
    }
    return gp->m;
}
} // namespace

void lock(Mutex* l) {
    if (atomic::cas(&l->key, uintptr{0}, kLocked)) {
        return;
    }
    M* mp = current_m();
    for (int i = 0;; i++) {
        uintptr v = atomic::load(&l->key);
        if ((v & kLocked) == 0) {
            if (atomic::cas(&l->key, v, v | kLocked)) {
                return;
            }
            i = 0;
            continue;
        }
        if (i < kActiveSpin) {
            continue;
        }
        if (i < kActiveSpin + kPassiveSpin) {
            osyield();
            continue;
        }
        // Queue this M and sleep; unlock hands the wakeup to exactly one
        // waiter, which then competes for the lock again.
        bool queued = false;
        for (;;) {
            mp->nextwaitm = reinterpret_cast<M*>(v & ~kLocked);
            if (atomic::cas(&l->key, v, reinterpret_cast<uintptr>(mp) | kLocked)) {
                queued = true;
                break;
            }
            v = atomic::load(&l->key);
            if ((v & kLocked) == 0) {
                break;
            }
        }
        if (queued) {
            semasleep(-1);
        }
        i = 0;
    }
}

void unlock(Mutex* l) {
    for (;;) {
        uintptr v = atomic::load(&l->key);
        if (v == kLocked) {
            if (atomic::cas(&l->key, kLocked, uintptr{0})) {
                return;
            }
            continue;
        }
        if ((v & kLocked) == 0) {
            throw_("unlock of unlocked lock");
        }
        M* mp = reinterpret_cast<M*>(v & ~kLocked);
        if (atomic::cas(&l->key, v, reinterpret_cast<uintptr>(mp->nextwaitm))) {
            semawakeup(mp);
            return;
        }
    }
}

void noteclear(Note* n) {
    atomic::store(&n->key, uintptr{0});
}

void notewakeup(Note* n) {
    uintptr v = atomic::xchg(&n->key, kLocked);
    if (v == 0) {
        return; // nobody sleeping yet: the sleeper will see kLocked
    }
    if (v == kLocked) {
        throw_("notewakeup - double wakeup");
    }
    semawakeup(reinterpret_cast<M*>(v));
}

void notesleep(Note* n) {
    M* mp = current_m();
    if (!atomic::cas(&n->key, uintptr{0}, reinterpret_cast<uintptr>(mp))) {
        if (atomic::load(&n->key) != kLocked) {
            throw_("notesleep - waitm out of sync");
        }
        return;
    }
    semasleep(-1);
}

bool notetsleep(Note* n, int64 ns) {
    M* mp = current_m();
    if (!atomic::cas(&n->key, uintptr{0}, reinterpret_cast<uintptr>(mp))) {
        if (atomic::load(&n->key) != kLocked) {
            throw_("notetsleep - waitm out of sync");
        }
        return true;
    }
    if (semasleep(ns) >= 0) {
        return true;
    }
    // Timed out: take our M off the note, unless a wakeup is already on its
    // way, in which case its semawakeup must be consumed.
    for (;;) {
        uintptr v = atomic::load(&n->key);
        if (v == reinterpret_cast<uintptr>(mp)) {
            if (atomic::cas(&n->key, v, uintptr{0})) {
                return false;
            }
        } else if (v == kLocked) {
            semasleep(-1);
            return true;
        } else {
            throw_("notetsleep - waitm out of sync");
        }
    }
}

void spin_lock(SpinLock* l) {
    for (int i = 0; !atomic::cas(&l->held, uint32{0}, uint32{1}); i++) {
        if (i > 16) {
            osyield();
        }
    }
}

void spin_unlock(SpinLock* l) {
    atomic::store(&l->held, uint32{0});
}

bool sema_take(M* mp) {
    for (;;) {
        uint32 v = atomic::load(&mp->waitsema);
        if (v == 0) {
            return false;
        }
        if (atomic::cas(&mp->waitsema, v, v - 1)) {
            return true;
        }
    }
}

} // namespace rt
