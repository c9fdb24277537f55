// Signals: the runtime installs its sigtramp (sys_<os>_<arch>.S) for the
// signals a program asks for; the handler runs on the M's gsignal stack with
// g and m known (on arm, reloaded from TLS by sigtramp).
#pragma once

#include "rt/types.h"

namespace rt {

struct G;
struct M;

struct SigContext {
    int sig;
    G* g; // the G the signal interrupted (g0 included), as the runtime found it
    M* m;
    uintptr pc; // where the signal interrupted the thread
    uintptr sp;
    void* info; // the kernel's siginfo
    void* uctx; // the kernel's ucontext
};

using SigHandler = void (*)(const SigContext& c);

// Signal numbers differ between the OS personalities (RT_OS_<os> comes from
// the build, runtime/CMakeLists.txt); SIGPROF happens to be 27 on both.
#if defined(RT_OS_NETBSD)
constexpr int kSigUsr1 = 30;
constexpr int kSigUsr2 = 31;
#else
constexpr int kSigUsr1 = 10;
constexpr int kSigUsr2 = 12;
#endif
constexpr int kSigProf = 27;
constexpr int kNumSig = 65;

void initsig();
// Runs h for sig on the handling thread's gsignal stack.
void signal_handle(int sig, SigHandler h);
// Signals that arrived on a thread without an m (a foreign thread that was
// never adopted); the runtime cannot run a handler there.
uint32 signals_without_m();

// sys_<os>_<arch>.S and signal_<os>_<arch>.cc.
uintptr sigctxt_pc(void* uctx);
uintptr sigctxt_sp(void* uctx);

} // namespace rt

extern "C" {
// The handler the kernel enters; it calls rt_sighandler(sig, info, uctx).
void rt_sigtramp(int sig, void* info, void* uctx);
// The restorer the kernel returns to: rt_sigreturn.
void rt_sigreturn_tramp();
void rt_sighandler(int sig, void* info, void* uctx);
}
