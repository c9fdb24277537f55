// The NetBSD personality of the OS interface (rt/os.h): memory, time, TLS,
// and the per-M setup. Threads are in lwp_netbsd.cc, semaphores in
// sema_netbsd.cc, signals in signal_netbsd.cc. The stubs of
// sys_netbsd_<arch>.S turn the kernel's carry-flag errors into -errno.
#include "netbsd.h"
#include "rt/os.h"
#include "rt/runtime.h"
#include "rt/syscall.h"
#include "rt/throw.h"

namespace rt {

namespace {
constexpr int kProtNone = 0;
constexpr int kProtRead = 1;
constexpr int kProtWrite = 2;
constexpr int kMapPrivate = 0x0002;
constexpr int kMapAnon = 0x1000;
constexpr int kSSDisable = 4;

// <sys/signal.h> stack_t: unlike Linux, the size comes before the flags.
struct StackT {
    void* sp;
    uintptr size;
    int32 flags;
};
} // namespace

namespace netbsd {
void sigprocmask(int how, const Sigset* set, Sigset* old) {
    if (is_error(syscall(SYS___sigprocmask14, how, set, old))) {
        throw_("sigprocmask failed");
    }
}
} // namespace netbsd

using netbsd::is_error;

intptr sys_write(int fd, const void* p, uintptr n) {
    return syscall(SYS_write, fd, p, n);
}

void sys_exit(int code) {
    for (;;) {
        syscall(SYS_exit, code);
    }
}

void* sys_alloc(uintptr n) {
    // mmap(addr, len, prot, flags, fd, PAD, pos): the stub passes 0 for PAD
    // and the 64-bit pos.
    intptr r = syscall(SYS_mmap, nullptr, n, kProtRead | kProtWrite, kMapPrivate | kMapAnon, -1, 0);
    return is_error(r) ? nullptr : reinterpret_cast<void*>(r);
}

void sys_free(void* p, uintptr n) {
    syscall(SYS_munmap, p, n);
}

bool sys_guard(void* p, uintptr n) {
    return !is_error(syscall(SYS_mprotect, p, n, kProtNone));
}

// _lwp_setprivate sets the thread pointer of the calling LWP: %fs base on
// amd64, %gs base on i386, TPIDRURO on arm.
void settls(TlsBlock* tls) {
    if (is_error(syscall(SYS__lwp_setprivate, tls))) {
        // No TLS means no g: nothing else can work, and throw would need g.
        static const char msg[] = "fatal error: cannot set the thread pointer\n";
        sys_write(2, msg, sizeof(msg) - 1);
        sys_exit(2);
    }
}

void osinit() {
#ifdef RT_REGRESS_PROCID_IN_OSINIT
    // The historic code (Go's thread_netbsd.c before 2012): "Main thread is
    // always LWP 1", set once here; minit leaves procid alone, so only Ms
    // made by _lwp_create (which writes their id) get a right one.
    getm()->procid = 1;
#endif
}

void osyield() {
    syscall(SYS_sched_yield);
}

int64 nanotime() {
    netbsd::Timespec ts{};
    syscall(SYS___clock_gettime50, netbsd::kClockMonotonic, &ts);
    return ts.sec * 1000000000 + ts.nsec;
}

void usleep(uint32 us) {
    netbsd::Timespec ts{us / 1000000, static_cast<intptr>(us % 1000000) * 1000};
    syscall(SYS___nanosleep50, &ts, nullptr);
}

int64 os_thread_id() {
    return syscall(SYS__lwp_self);
}
int64 os_process_id() {
    return syscall(SYS_getpid);
}

void minit() {
    M* mp = getm();
#ifndef RT_REGRESS_PROCID_IN_OSINIT
    // However this M's LWP was made (by newosproc, whose _lwp_create also
    // writes the id, or by foreign code), only the LWP itself can tell: the
    // id _lwp_unpark needs to wake this M.
    mp->procid = syscall(SYS__lwp_self);
#endif
    // A new LWP inherits its creator's signal stack: always install this
    // M's own, or two Ms would share one.
    StackT st{reinterpret_cast<void*>(mp->gsignal->stack_lo),
              mp->gsignal->stack_hi - mp->gsignal->stack_lo, 0};
    if (is_error(syscall(SYS___sigaltstack14, &st, nullptr))) {
        throw_("minit: sigaltstack failed");
    }
    netbsd::Sigset none{};
    netbsd::sigprocmask(netbsd::kSigSetmask, &none, nullptr);
}

void unminit() {
    StackT st{nullptr, 0, kSSDisable};
    syscall(SYS___sigaltstack14, &st, nullptr);
}

} // namespace rt

// Called by rt_lwp_tramp (sys_netbsd_<arch>.S) before anything needs g.
extern "C" void rt_lwp_settls(rt::TlsBlock* tls) {
    rt::settls(tls);
}
