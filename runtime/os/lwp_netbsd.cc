// Ms on NetBSD LWPs (Go's newosproc in os_netbsd.go): take a ucontext with
// getcontext, point it at rt_lwp_tramp with the M's g0 stack and m, g and fn
// in registers (lwp_mcontext_init), and _lwp_create it. The kernel writes
// the new LWP's id into m->procid; minit sets it again on the LWP itself.
#include "netbsd.h"
#include "rt/os.h"
#include "rt/print.h"
#include "rt/runtime.h"
#include "rt/syscall.h"
#include "rt/throw.h"

extern "C" {
// sys_netbsd_<arch>.S: the first code of a new M's LWP.
void rt_lwp_tramp();
[[noreturn]] void rt_mstart_thread(rt::M* mp);
}

namespace rt {

namespace {
struct alignas(16) Ucontext {
    uint8 bytes[RT_UC_SIZE];

    template <typename T>
    T* at(uintptr offset) {
        return reinterpret_cast<T*>(bytes + offset);
    }
    uintptr* gregs() { return at<uintptr>(RT_UC_MCONTEXT_OFFSET); }
};

// Machine-dependent part, by the register slots of defs_netbsd_<arch>.h.
void lwp_mcontext_init(Ucontext* uc, uintptr stack, M* mp, G* gp, void (*fn)(M*)) {
    uintptr* r = uc->gregs();
    r[RT_MC_PC] = reinterpret_cast<uintptr>(&rt_lwp_tramp);
    r[RT_MC_SP] = stack;
    r[RT_MC_TRAMP_M] = reinterpret_cast<uintptr>(mp);
    r[RT_MC_TRAMP_G] = reinterpret_cast<uintptr>(gp);
    r[RT_MC_TRAMP_FN] = reinterpret_cast<uintptr>(fn);
}
} // namespace

void newosproc(M* mp) {
    Ucontext uc{};
    if (netbsd::is_error(syscall(SYS_getcontext, &uc))) {
        throw_("newosproc: getcontext failed");
    }
    // The LWP starts with every signal blocked: it has no signal stack or g
    // until minit, which sets its own mask. The creator's comes back after.
    *uc.at<uint32>(RT_UC_FLAGS_OFFSET) = RT_UC_SIGMASK | RT_UC_CPU;
    *uc.at<void*>(RT_UC_LINK_OFFSET) = nullptr;
    *uc.at<netbsd::Sigset>(RT_UC_SIGMASK_OFFSET) = netbsd::kSigsetAll;
    netbsd::Sigset old{};
    netbsd::sigprocmask(netbsd::kSigSetmask, &netbsd::kSigsetAll, &old);
    lwp_mcontext_init(&uc, mp->g0->stack_hi, mp, mp->g0, &rt_mstart_thread);
    // lwpid_t is 32 bits: the kernel writes the low half of procid (all
    // three arches are little-endian), whose high half is still 0.
    intptr r = syscall(SYS__lwp_create, &uc, RT_LWP_DETACHED, &mp->procid);
    netbsd::sigprocmask(netbsd::kSigSetmask, &old, nullptr);
    if (r < 0) {
        eprintln("runtime: failed to create new OS thread (errno ", -r, ")");
        throw_("newosproc");
    }
}

} // namespace rt
