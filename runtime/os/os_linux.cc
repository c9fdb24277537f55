// The Linux personality of the OS interface (rt/os.h), over the raw syscalls
// of sys_linux_<arch>.S. Those return the kernel's result: -errno on failure.
#include "defs_linux.h"
#include "rt/atomic.h"
#include "rt/os.h"
#include "rt/print.h"
#include "rt/runtime.h"
#include "rt/signal.h"
#include "rt/syscall.h"
#include "rt/throw.h"

extern "C" {
rt::intptr rt_sys_settls(void* tp);
// Starts a thread on stack with the given clone flags and tls argument; the
// new thread calls fn(arg) and exits if fn returns.
rt::intptr rt_clone(rt::uintptr flags, void* stack, void* tls, void (*fn)(void*), void* arg);
[[noreturn]] void rt_mstart_thread(rt::M* mp);
}

namespace rt {

namespace {
constexpr int kProtNone = 0;
constexpr int kProtRead = 1;
constexpr int kProtWrite = 2;
constexpr int kMapPrivate = 0x02;
constexpr int kMapAnonymous = 0x20;

constexpr int kFutexWaitPrivate = 0 | 128;
constexpr int kFutexWakePrivate = 1 | 128;
constexpr int kClockMonotonic = 1;
constexpr int kEAGAIN = 11;
constexpr int kEINTR = 4;
constexpr int kETIMEDOUT = 110;

constexpr int kSigBlock = 0;
constexpr int kSigSetmask = 2;
constexpr int kSSDisable = 2;

// The flags of a runtime thread (Go's cloneFlags).
constexpr uintptr kCloneFlags = 0x100 /*VM*/ | 0x200 /*FS*/ | 0x400 /*FILES*/ | 0x800 /*SIGHAND*/ |
                                0x40000 /*SYSVSEM*/ | 0x10000 /*THREAD*/;

struct Timespec {
    intptr sec;
    intptr nsec;
};

struct StackT {
    void* sp;
    int32 flags;
    uintptr size;
};

bool is_error(intptr r) {
    return r < 0 && r > -4096;
}

// rt_sigprocmask on the kernel's 64-bit signal set.
void sigprocmask(int how, const uint64* set, uint64* old) {
    syscall(SYS_rt_sigprocmask, how, set, old, sizeof(uint64));
}

} // namespace

intptr sys_write(int fd, const void* p, uintptr n) {
    return syscall(SYS_write, fd, p, n);
}

void sys_exit(int code) {
    for (;;) {
        syscall(SYS_exit_group, code);
    }
}

void* sys_alloc(uintptr n) {
    constexpr uintptr offset = 0;
    intptr r = syscall(SYS_mmap, nullptr, n, kProtRead | kProtWrite, kMapPrivate | kMapAnonymous,
                       -1, offset >> RT_MMAP_OFFSET_SHIFT);
    return is_error(r) ? nullptr : reinterpret_cast<void*>(r);
}

void sys_free(void* p, uintptr n) {
    syscall(SYS_munmap, p, n);
}

bool sys_guard(void* p, uintptr n) {
    return !is_error(syscall(SYS_mprotect, p, n, kProtNone));
}

void settls(TlsBlock* tls) {
    if (is_error(rt_sys_settls(tls))) {
        // No TLS means no g: nothing else can work, and throw would need g.
        static const char msg[] = "fatal error: cannot set the thread pointer\n";
        sys_write(2, msg, sizeof(msg) - 1);
        sys_exit(2);
    }
}

void osinit() {}

void osyield() {
    syscall(SYS_sched_yield);
}

int64 nanotime() {
    Timespec ts{};
    syscall(SYS_clock_gettime, kClockMonotonic, &ts);
    return static_cast<int64>(ts.sec) * 1000000000 + ts.nsec;
}

void usleep(uint32 us) {
    Timespec ts{static_cast<intptr>(us / 1000000), static_cast<intptr>(us % 1000000) * 1000};
    syscall(SYS_nanosleep, &ts, nullptr);
}

int64 os_thread_id() {
    return syscall(SYS_gettid);
}
int64 os_process_id() {
    return syscall(SYS_getpid);
}

// The semaphore is a count in m->waitsema, the futex word: semawakeup adds
// one and wakes; semasleep takes one, sleeping on the futex while it is 0.
int32 semasleep(int64 ns) {
    M* mp = getm();
    int64 deadline = ns >= 0 ? nanotime() + ns : 0;
    for (;;) {
        if (sema_take(mp)) {
            return 0;
        }
        Timespec ts{};
        Timespec* tsp = nullptr;
        if (ns >= 0) {
            int64 left = deadline - nanotime();
            if (left <= 0) {
                return -1;
            }
            ts.sec = static_cast<intptr>(left / 1000000000);
            ts.nsec = static_cast<intptr>(left % 1000000000);
            tsp = &ts;
        }
        intptr r = syscall(SYS_futex, &mp->waitsema, kFutexWaitPrivate, 0, tsp, nullptr, 0);
        if (r < 0 && r != -kEAGAIN && r != -kEINTR && r != -kETIMEDOUT) {
            throw_("semasleep: futex wait failed");
        }
    }
}

void semawakeup(M* mp) {
    atomic::add(&mp->waitsema, uint32{1});
    syscall(SYS_futex, &mp->waitsema, kFutexWakePrivate, 1, nullptr, nullptr, 0);
}

void newosproc(M* mp) {
    // Block every signal while the thread starts: it has no signal stack or
    // g until minit, which sets its own mask. The creator's mask comes back
    // right after clone.
    uint64 all = ~uint64{0};
    uint64 old = 0;
    sigprocmask(kSigSetmask, &all, &old);
    void* stack = reinterpret_cast<void*>(mp->g0->stack_hi);
    intptr r = rt_clone(kCloneFlags, stack, nullptr,
                        reinterpret_cast<void (*)(void*)>(&rt_mstart_thread), mp);
    sigprocmask(kSigSetmask, &old, nullptr);
    if (r < 0) {
        eprintln("runtime: failed to create new OS thread (errno ", -r, ")");
        throw_("newosproc");
    }
}

void minit() {
    M* mp = getm();
#ifndef RT_REGRESS_PROCID_IN_OSINIT
    mp->procid = os_thread_id();
#else
    // The historic bug: procid was set once, in osinit, for the main thread
    // only, on the assumption that it is thread 1.
    if (mp->id == 0 && mp->procid == 0) {
        mp->procid = 1;
    }
#endif
    StackT st{reinterpret_cast<void*>(mp->gsignal->stack_lo), 0,
              mp->gsignal->stack_hi - mp->gsignal->stack_lo};
    if (is_error(syscall(SYS_sigaltstack, &st, nullptr))) {
        throw_("minit: sigaltstack failed");
    }
    uint64 none = 0;
    sigprocmask(kSigSetmask, &none, nullptr);
}

void unminit() {
    StackT st{nullptr, kSSDisable, 0};
    syscall(SYS_sigaltstack, &st, nullptr);
}

// ---- signals ----

namespace {
struct KernelSigaction {
    uintptr handler;
    uintptr flags;
    uintptr restorer;
    uintptr mask[8 / sizeof(uintptr)];
};
constexpr uintptr kSaSiginfo = 0x4;
constexpr uintptr kSaOnstack = 0x08000000;
constexpr uintptr kSaRestart = 0x10000000;
constexpr uintptr kSaRestorer = 0x04000000;
} // namespace

void os_sigaction(int sig) {
    KernelSigaction sa{};
    sa.handler = reinterpret_cast<uintptr>(&rt_sigtramp);
    sa.flags = kSaSiginfo | kSaOnstack | kSaRestart | kSaRestorer;
    sa.restorer = reinterpret_cast<uintptr>(&rt_sigreturn_tramp);
    for (auto& w : sa.mask) {
        w = ~uintptr{0}; // block everything while the handler runs
    }
    if (is_error(syscall(SYS_rt_sigaction, sig, &sa, nullptr, sizeof(uint64)))) {
        throw_("rt_sigaction failed");
    }
}

void os_block_signal(int sig) {
    uint64 set = uint64{1} << (sig - 1);
    sigprocmask(kSigBlock, &set, nullptr);
}

intptr os_tgkill(int64 tid, int sig) {
    return syscall(SYS_tgkill, os_process_id(), tid, sig);
}

intptr os_setitimer_prof(uint32 interval_us) {
    struct Timeval {
        intptr sec;
        intptr usec;
    };
    struct Itimerval {
        Timeval interval;
        Timeval value;
    };
    Timeval tv{static_cast<intptr>(interval_us / 1000000),
               static_cast<intptr>(interval_us % 1000000)};
    Itimerval it{tv, tv};
    constexpr int kItimerProf = 2;
    return syscall(SYS_setitimer, kItimerProf, &it, nullptr);
}

} // namespace rt
