// Foreign threads on NetBSD: what pthread_create boils down to, an LWP made
// with _lwp_create from a ucontext of its own (never the runtime's
// newosproc), with its own stack and a zeroed TLS block. The runtime's
// minit never runs on it unless a callback adopts it.
#include "../os/defs_netbsd.h"
#include "foreign.h"
#include "rt/syscall.h"

extern "C" {
// sys_netbsd_<arch>.S: clear *alive and end the LWP without using its stack.
[[noreturn]] void rt_lwp_exit_clear(volatile rt::uint32* alive);
void crossrt_cgocallback(void (*fn)(void*), void* arg);
}

namespace {
constexpr rt::uintptr kStackSize = 128 * 1024;
constexpr int kSSDisable = 4;

bool is_error(rt::intptr r) {
    return r < 0 && r > -4096;
}

struct alignas(16) Ucontext {
    rt::uint8 bytes[RT_UC_SIZE];

    template <typename T>
    T* at(rt::uintptr offset) {
        return reinterpret_cast<T*>(bytes + offset);
    }
    rt::uintptr* gregs() { return at<rt::uintptr>(RT_UC_MCONTEXT_OFFSET); }
};

// The LWP starts here, as a C function called with t.
[[noreturn]] void thread_main(ForeignThread* t) {
    rt::syscall(SYS__lwp_setprivate, t->tls);
    // A new LWP inherits its creator's signal stack, which is an M's: drop
    // it, as a C library's thread would never run on it.
    struct {
        void* sp;
        rt::uintptr size;
        rt::int32 flags;
    } st{nullptr, 0, kSSDisable};
    rt::syscall(SYS___sigaltstack14, &st, nullptr);
    t->tid = foreign_gettid();
    t->fn(t->arg);
    rt_lwp_exit_clear(&t->alive);
}

// Sets uc up to enter fn(arg) on the stack whose top is top, by the arch's C
// calling convention (defs_netbsd_<arch>.h).
void set_entry(Ucontext* uc, void (*fn)(ForeignThread*), ForeignThread* arg, rt::uintptr top) {
    rt::uintptr* r = uc->gregs();
    rt::uintptr sp = top & ~rt::uintptr{15};
    constexpr int arg_slot = RT_MC_ARG0;
    if constexpr (arg_slot < 0) {
        sp -= 16; // the argument, in a 16-byte aligned slot
        *reinterpret_cast<ForeignThread**>(sp) = arg;
    } else {
        r[arg_slot] = reinterpret_cast<rt::uintptr>(arg);
    }
    if constexpr (RT_MC_ENTRY_SP_BIAS != 0) {
        sp -= RT_MC_ENTRY_SP_BIAS; // the (never used) return address
        *reinterpret_cast<rt::uintptr*>(sp) = 0;
    }
    r[RT_MC_SP] = sp;
    r[RT_MC_PC] = reinterpret_cast<rt::uintptr>(fn);
#ifdef RT_MC_LR
    r[RT_MC_LR] = 0;
#endif
}
} // namespace

extern "C" {

int foreign_thread_start(ForeignThread* t, void (*fn)(void*), void* arg) {
    for (auto& w : t->tls) {
        w = 0;
    }
    t->fn = fn;
    t->arg = arg;
    t->tid = 0;
    rt::intptr mem =
        rt::syscall(SYS_mmap, nullptr, kStackSize, 3 /*RW*/, 0x1002 /*ANON|PRIVATE*/, -1, 0);
    if (is_error(mem)) {
        return static_cast<int>(mem);
    }
    t->stack = reinterpret_cast<void*>(mem);
    Ucontext uc{};
    // getcontext fills in the segment registers, flags and the signal mask
    // (the new LWP keeps its creator's, as a pthread does).
    rt::intptr r = rt::syscall(SYS_getcontext, &uc);
    if (is_error(r)) {
        rt::syscall(SYS_munmap, t->stack, kStackSize);
        return static_cast<int>(r);
    }
    *uc.at<rt::uint32>(RT_UC_FLAGS_OFFSET) = RT_UC_CPU | RT_UC_SIGMASK;
    *uc.at<void*>(RT_UC_LINK_OFFSET) = nullptr;
    set_entry(&uc, thread_main, t, reinterpret_cast<rt::uintptr>(t->stack) + kStackSize);
    t->alive = 1;
    rt::int32 lid = 0;
    r = rt::syscall(SYS__lwp_create, &uc, RT_LWP_DETACHED, &lid);
    if (is_error(r)) {
        t->alive = 0;
        rt::syscall(SYS_munmap, t->stack, kStackSize);
        return static_cast<int>(r);
    }
    return 0;
}

// No _lwp_wait on a detached LWP: poll the word the LWP clears as its last
// store (rt_lwp_exit_clear), sleeping 50 us between looks.
void foreign_thread_join(ForeignThread* t) {
    while (__atomic_load_n(&t->alive, __ATOMIC_ACQUIRE) != 0) {
        struct {
            rt::int64 sec;
            rt::intptr nsec;
        } ts{0, 50000};
        rt::syscall(SYS___nanosleep50, &ts, nullptr);
    }
    rt::syscall(SYS_munmap, t->stack, kStackSize);
}

void foreign_call_runtime(void (*fn)(void*), void* arg) {
    crossrt_cgocallback(fn, arg);
}

rt::int64 foreign_gettid() {
    return rt::syscall(SYS__lwp_self);
}
}
