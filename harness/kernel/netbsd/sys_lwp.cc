// LWPs as NetBSD's sys_lwp.c and the context calls: getcontext/setcontext
// with the arch's real ucontext_t, _lwp_create starting an LWP from one,
// the thread pointer (_lwp_setprivate), and park/unpark:
//
// - _lwp_unpark(lid, hint) wakes lid if it is parked; if it is not, it sets
//   a one-bit "unparked" flag, so that its next park returns EALREADY at
//   once. Several early unparks collapse into one. An unknown lid: ESRCH.
// - ___lwp_park60(clock, flags, ts, unpark, hint, unparkhint) first unparks
//   `unpark` (when non-zero), then parks until an unpark (0), the timeout
//   (ETIMEDOUT; ts absolute with TIMER_ABSTIME, else relative, on the
//   virtual clock) or a signal (EINTR). The hint is recorded for reports;
//   the wakeup does not depend on it (NetBSD 10 dropped hints too).
//   A parked LWP counts toward the deadlock verdict as a futex waiter does.
#include "kernel/abi/netbsd_common.h"
#include "kernel/netbsd/personality.h"
#include "kernel/netbsd/signals.h"
#include "kernel/netbsd/sys.h"
#include "kernel/posix/signals.h"

#include <fmt/format.h>

namespace crossrt::kernel::nbsd {
namespace {

constexpr u64 kLwpSuspended = 0x80;

i64 unpark(Process& m, u64 lid, u64 hint) {
    Lwp* target = lid <= 0x7fffffff ? m.find_lwp(static_cast<int>(lid)) : nullptr;
    if (target == nullptr)
        return -err::SRCH;
    if (target->state == LwpState::blocked && target->wait.kind == WaitKind::lwp_park) {
        m.trace().line(m.total_insns(), "lwp {} unparked (hint {:#x})", target->ordinal, hint);
        m.wake(*target, 0);
    } else {
        target->unparked = true;
    }
    return 0;
}

// park(clock, flags, ts, hint), after the optional unpark.
SysResult park(Process& m, Lwp& self, u64 clock, u64 flags, u64 ts, u64 hint) {
    if (self.unparked) {
        self.unparked = false;
        return SysResult::of(-err::ALREADY);
    }
    Wait wait;
    wait.kind = WaitKind::lwp_park;
    wait.address = hint;
    wait.timeout_result = -err::TIMEDOUT;
    if (ts != 0) {
        u64 ns = 0;
        if (!read_timespec(m, ts, ns))
            return SysResult::of(-err::FAULT);
        if ((flags & kTimerAbstime) != 0) {
            auto deadline = monotonic_from(clock, ns);
            if (!deadline)
                return SysResult::of(-err::INVAL);
            wait.deadline = *deadline;
        } else {
            wait.deadline = m.now_ns() + ns;
        }
        if (*wait.deadline <= m.now_ns())
            return SysResult::of(-err::TIMEDOUT);
    }
    m.block(self, wait);
    return SysResult::blocked();
}

} // namespace

SysResult sys_getcontext(Process& m, Lwp& self, const SyscallArgs& args) {
    const NetbsdAbi& abi = netbsd_abi(m);
    UcontextHeader header;
    header.flags = nb_uc::kSigmask | nb_uc::kStack | nb_uc::kCpu | nb_uc::kTlsBase;
    auto mask = mask_to_netbsd(self.sigmask);
    std::copy(mask.begin(), mask.end(), header.sigmask);
    header.ss_sp = self.altstack.sp;
    header.ss_size = self.altstack.size;
    header.ss_flags = self.altstack.disabled ? 4 /*SS_DISABLE*/ : 0;
    if (!write_ucontext_header(m, abi.layout(), args.a[0], header) ||
        !abi.save_mcontext(m, self, args.a[0], true))
        return SysResult::of(-err::FAULT);
    return SysResult::of(0);
}

SysResult sys_setcontext(Process& m, Lwp& self, const SyscallArgs& args) {
    u64 uc = args.a[0];
    UcontextHeader header;
    if (!read_ucontext_header(m, netbsd_abi(m).layout(), uc, header))
        return SysResult::of(-err::FAULT);
    // Returning from a signal handler: the full CPU state saved at delivery
    // first (FP/SIMD, segments), then the ucontext's registers on top.
    m.restore_signal_context(self, uc);
    if (!netbsd_abi(m).load_mcontext(m, self, uc, header.flags))
        return SysResult::of(-err::FAULT);
    if ((header.flags & nb_uc::kSigmask) != 0) {
        std::array<u32, 4> mask{};
        std::copy(std::begin(header.sigmask), std::end(header.sigmask), mask.begin());
        self.sigmask = mask_to_linux(mask) & ~posix::kUnmaskable;
    }
    return SysResult::none(); // the registers are the context's (EJUSTRETURN)
}

SysResult sys_lwp_create(Process& m, Lwp& self, const SyscallArgs& args) {
    u64 uc = args.a[0];
    u64 flags = args.a[1];
    u64 lid_out = args.a[2];
    UcontextHeader header;
    if (!read_ucontext_header(m, netbsd_abi(m).layout(), uc, header))
        return SysResult::of(-err::FAULT);
    if ((flags & kLwpSuspended) != 0)
        return SysResult::of(m.unsupported(args, "_lwp_create (LWP_SUSPENDED)"));
    Lwp* child = m.create_lwp();
    if (child == nullptr)
        return SysResult::of(-err::AGAIN);
    // The child: the creator's registers and thread pointer, then the
    // ucontext's registers, sigmask and (with _UC_TLSBASE) TLS base.
    child->private_base = self.private_base;
    child->sigmask = self.sigmask;
    child->affinity = self.affinity;
    if ((header.flags & nb_uc::kSigmask) != 0) {
        std::array<u32, 4> mask{};
        std::copy(std::begin(header.sigmask), std::end(header.sigmask), mask.begin());
        child->sigmask = mask_to_linux(mask) & ~posix::kUnmaskable;
    }
    i64 result = m.build_lwp(*child, [&]() -> i64 {
        if (!m.cpu().init_child(m, self, *child))
            return -err::NOMEM;
        if (!netbsd_abi(m).load_mcontext(m, *child, uc, header.flags))
            return -err::FAULT;
        return 0;
    });
    if (result == 0 && lid_out != 0 &&
        !m.memory().write_value(lid_out, static_cast<i32>(child->tid)))
        result = -err::FAULT;
    if (result < 0) {
        child->state = LwpState::exited;
        return SysResult::of(result);
    }
    child->state = LwpState::runnable;
    child->syscall_name = "_lwp_create";
    m.trace().line(m.total_insns(), "lwp {} created: lid {}, pc {:#x}", child->ordinal, child->tid,
                   m.cpu().pc(m.uc()));
    return SysResult::of(0);
}

SysResult sys_lwp_exit(Process& m, Lwp& self, const SyscallArgs&) {
    m.exit_lwp(self, 0);
    return SysResult::none();
}

SysResult sys_lwp_self(Process&, Lwp& self, const SyscallArgs&) {
    return SysResult::of(self.tid);
}

SysResult sys_lwp_getprivate(Process&, Lwp& self, const SyscallArgs&) {
    return SysResult::of(static_cast<i64>(self.private_base));
}

SysResult sys_lwp_setprivate(Process& m, Lwp& self, const SyscallArgs& args) {
    i64 result = netbsd_abi(m).set_private(m, self, args.a[0]);
    return SysResult::of(result < 0 ? encode_errno(result) : 0);
}

SysResult sys_lwp_unpark(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(unpark(m, args.a[0], args.a[1]));
}

SysResult sys_lwp_park60(Process& m, Lwp& self, const SyscallArgs& args) {
    if (args.a[3] != 0) {
        i64 result = unpark(m, args.a[3], args.a[5]);
        if (result < 0)
            return SysResult::of(result);
    }
    return park(m, self, args.a[0], args.a[1], args.a[2], args.a[4]);
}

SysResult sys_lwp_park50(Process& m, Lwp& self, const SyscallArgs& args) {
    // ___lwp_park50(ts, unpark, hint, unparkhint): an absolute
    // CLOCK_REALTIME timeout, as the old libpthread used it.
    if (args.a[1] != 0) {
        i64 result = unpark(m, args.a[1], args.a[3]);
        if (result < 0)
            return SysResult::of(result);
    }
    return park(m, self, kClockRealtime, kTimerAbstime, args.a[0], args.a[2]);
}

} // namespace crossrt::kernel::nbsd
