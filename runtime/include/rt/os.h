// What the portable core needs from an OS personality (os_<os>.cc and
// sys_<os>_<arch>.S implement it).
#pragma once

#include "rt/types.h"

namespace rt {

struct TlsBlock;

intptr sys_write(int fd, const void* p, uintptr n);
[[noreturn]] void sys_exit(int code);
// Anonymous private read-write memory; nullptr on failure.
void* sys_alloc(uintptr n);
void sys_free(void* p, uintptr n);
// Makes [p, p+n) inaccessible (a stack guard).
bool sys_guard(void* p, uintptr n);
// Points this thread's thread pointer (%fs, %gs, TPIDRURO) at tls.
void settls(TlsBlock* tls);
void osinit();
void osyield();
int64 nanotime();
void usleep(uint32 us);

// The kernel's id of the calling thread (gettid, _lwp_self).
int64 os_thread_id();
int64 os_process_id();

// Per-M semaphores: semasleep waits for a semawakeup of this M, for at most
// ns nanoseconds (ns < 0: no limit); 0 when woken, -1 on timeout.
struct M;
int32 semasleep(int64 ns);
// semasleep's first step on every OS: takes one from mp->waitsema when the
// count is above 0 (core/lock_sema.cc); false when it is 0.
bool sema_take(M* mp);
void semawakeup(M* mp);

// Starts a new kernel thread running mstart for mp on mp->g0's stack.
void newosproc(M* mp);
// Called on every M's own thread, however it was made: procid, signal
// stack, signal mask. unminit undoes the parts a thread must not keep when
// an extra M is handed back.
void minit();
void unminit();
// Process start: read the environment the runtime cares about.
void goenvs(char** envp);

// Signals: install sigtramp for sig; block sig on this thread; send sig to
// one thread of this process; start the SIGPROF interval timer (0 stops it).
void os_sigaction(int sig);
void os_block_signal(int sig);
intptr os_tgkill(int64 tid, int sig);
intptr os_setitimer_prof(uint32 interval_us);

} // namespace rt
