// Signals on NetBSD: __sigaction_sigtramp installs the runtime's sigtramp
// together with its own return trampoline (which calls setcontext; NetBSD
// has no sigreturn), and the interrupted pc and sp come from the ucontext's
// __gregs (defs_netbsd_<arch>.h).
#include "netbsd.h"
#include "rt/os.h"
#include "rt/signal.h"
#include "rt/syscall.h"
#include "rt/throw.h"

namespace rt {

namespace {
// <sys/signal.h> struct sigaction.
struct Sigaction {
    uintptr handler;
    netbsd::Sigset mask;
    int32 flags;
};
constexpr int32 kSaOnstack = 0x1;
constexpr int32 kSaRestart = 0x2;
constexpr int32 kSaSiginfo = 0x40;
// The trampoline ABI version: handlers get (sig, siginfo, ucontext).
constexpr int kSigtrampSiginfo2 = 2;

uintptr mcontext_slot(void* uctx, int slot) {
    const char* mcontext = static_cast<const char*>(uctx) + RT_UC_MCONTEXT_OFFSET;
    return reinterpret_cast<const uintptr*>(mcontext)[slot];
}
} // namespace

uintptr sigctxt_pc(void* uctx) {
    return mcontext_slot(uctx, RT_MC_PC);
}
uintptr sigctxt_sp(void* uctx) {
    return mcontext_slot(uctx, RT_MC_SP);
}

void os_sigaction(int sig) {
    Sigaction sa{};
    sa.handler = reinterpret_cast<uintptr>(&rt_sigtramp);
    sa.mask = netbsd::kSigsetAll; // block everything while the handler runs
    sa.flags = kSaSiginfo | kSaOnstack | kSaRestart;
    if (netbsd::is_error(syscall(SYS___sigaction_sigtramp, sig, &sa, nullptr, &rt_sigreturn_tramp,
                                 kSigtrampSiginfo2))) {
        throw_("__sigaction_sigtramp failed");
    }
}

void os_block_signal(int sig) {
    netbsd::Sigset set{};
    set.bits[(sig - 1) / 32] = 1u << ((sig - 1) % 32);
    netbsd::sigprocmask(netbsd::kSigBlock, &set, nullptr);
}

// One LWP of this process: _lwp_kill takes the LWP id (procid).
intptr os_tgkill(int64 tid, int sig) {
    return syscall(SYS__lwp_kill, tid, sig);
}

intptr os_setitimer_prof(uint32 interval_us) {
    // struct timeval: int64 seconds, int microseconds.
    struct Timeval {
        int64 sec;
        int32 usec;
    };
    struct Itimerval {
        Timeval interval;
        Timeval value;
    };
    Timeval tv{interval_us / 1000000, static_cast<int32>(interval_us % 1000000)};
    Itimerval it{tv, tv};
    constexpr int kItimerProf = 2;
    return syscall(SYS___setitimer50, kItimerProf, &it, nullptr);
}

} // namespace rt
