// Signal actions, masks, the alternate stack, sigreturn, and sending.
#include "base/signals.h"
#include "kernel/linux/sys.h"
#include "kernel/sigstate.h"

namespace crossrt::kernel::lnx {
namespace {

constexpr u64 kSigBlock = 0;
constexpr u64 kSigUnblock = 1;
constexpr u64 kSigSetmask = 2;

bool valid_signal(u64 signo) {
    return signo >= 1 && signo <= sig::max;
}

SysResult do_sigreturn(Process& m, Lwp& self, bool rt) {
    u64 frame = linux_abi(m).sigreturn_frame(m.uc(), rt);
    // The full CPU state saved at delivery first (FP/SIMD, segments), then
    // the frame's registers on top: a handler may have changed them.
    m.restore_signal_context(self, frame);
    auto mask = linux_abi(m).signal_return(m, self, rt, frame);
    if (!mask) {
        m.trace().line(m.total_insns(), "lwp {}: bad sigreturn frame at {:#x}: SIGSEGV",
                       self.ordinal, frame);
        m.kill_process(sig::SEGV);
        return SysResult::none();
    }
    self.sigmask = *mask & ~kUnmaskable;
    return SysResult::none();
}

} // namespace

SysResult sys_rt_sigaction(Process& m, Lwp&, const SyscallArgs& args) {
    u64 signo = args.a[0];
    if (!valid_signal(signo) || args.a[3] != 8)
        return SysResult::of(-err::INVAL);
    u64 word = static_cast<u64>(m.word_size());
    SigAction& action = m.actions()[signo];
    if (args.a[2] != 0) {
        u64 at = args.a[2];
        if (!m.write_word(at, action.handler) || !m.write_word(at + word, action.flags) ||
            !m.write_word(at + 2 * word, action.restorer) ||
            !m.memory().write_value(at + 3 * word, action.mask))
            return SysResult::of(-err::FAULT);
    }
    if (args.a[1] != 0) {
        if (signo == sig::KILL || signo == sig::STOP)
            return SysResult::of(-err::INVAL);
        SigAction next;
        u64 at = args.a[1];
        if (!m.read_word(at, next.handler) || !m.read_word(at + word, next.flags) ||
            !m.read_word(at + 2 * word, next.restorer) ||
            !m.memory().read_value(at + 3 * word, next.mask))
            return SysResult::of(-err::FAULT);
        next.mask &= ~kUnmaskable;
        action = next;
        // Setting SIG_IGN (or a default that ignores) discards pending ones.
        if (m.is_ignored(static_cast<int>(signo))) {
            m.discard_shared(static_cast<int>(signo));
            for (const auto& lwp : m.lwps())
                lwp->pending &= ~sigbit(static_cast<int>(signo));
        }
    }
    return SysResult::of(0);
}

SysResult sys_rt_sigprocmask(Process& m, Lwp& self, const SyscallArgs& args) {
    if (args.a[3] != 8)
        return SysResult::of(-err::INVAL);
    u64 old = self.sigmask;
    if (args.a[1] != 0) {
        u64 set = 0;
        if (!m.memory().read_value(args.a[1], set))
            return SysResult::of(-err::FAULT);
        if (args.a[0] > kSigSetmask)
            return SysResult::of(-err::INVAL);
        change_sigmask(self,
                       args.a[0] == kSigBlock     ? MaskHow::block
                       : args.a[0] == kSigUnblock ? MaskHow::unblock
                                                  : MaskHow::set,
                       set);
    }
    if (args.a[2] != 0 && !m.memory().write_value(args.a[2], old))
        return SysResult::of(-err::FAULT);
    return SysResult::of(0);
}

SysResult sys_rt_sigpending(Process& m, Lwp& self, const SyscallArgs& args) {
    u64 pending = (self.pending | m.shared_pending()) & self.sigmask;
    return SysResult::of(m.memory().write_value(args.a[0], pending) ? 0 : -err::FAULT);
}

SysResult sys_sigaltstack(Process& m, Lwp& self, const SyscallArgs& args) {
    // stack_t: ss_sp (word), ss_flags (int, padded to a word on amd64), ss_size (word).
    u64 word = static_cast<u64>(m.word_size());
    u64 sp = m.cpu().sp(m.uc());
    bool on = m.on_altstack(self, sp);
    if (args.a[1] != 0) {
        u64 at = args.a[1];
        int flags = self.altstack.disabled ? 2 : on ? 1 : 0;
        if (!m.write_word(at, self.altstack.sp) ||
            !m.memory().write_value(at + word, static_cast<i32>(flags)) ||
            !m.write_word(at + 2 * word, self.altstack.size))
            return SysResult::of(-err::FAULT);
    }
    if (args.a[0] != 0) {
        u64 at = args.a[0];
        u64 ss_sp = 0, ss_size = 0;
        i32 ss_flags = 0;
        if (!m.read_word(at, ss_sp) || !m.memory().read_value(at + word, ss_flags) ||
            !m.read_word(at + 2 * word, ss_size))
            return SysResult::of(-err::FAULT);
        constexpr i32 kDisable = 2;
        constexpr u64 kMinStack = 2048;
        if ((ss_flags & ~(kDisable | static_cast<i32>(0x80000000u))) != 0 && !on)
            return SysResult::of(-err::INVAL);
        if (i64 r =
                replace_altstack(self, on, (ss_flags & kDisable) != 0, ss_sp, ss_size, kMinStack);
            r < 0)
            return SysResult::of(r);
    }
    return SysResult::of(0);
}

SysResult sys_rt_sigreturn(Process& m, Lwp& self, const SyscallArgs&) {
    return do_sigreturn(m, self, true);
}

SysResult sys_sigreturn(Process& m, Lwp& self, const SyscallArgs&) {
    return do_sigreturn(m, self, false);
}

SysResult sys_kill(Process& m, Lwp& self, const SyscallArgs& args) {
    i64 pid = to_i64(args.a[0], m.word_size());
    u64 signo = args.a[1];
    if (signo > sig::max)
        return SysResult::of(-err::INVAL);
    if (pid != m.pid() && pid != 0 && pid != -1 && pid != -m.pid())
        return SysResult::of(-err::SRCH);
    if (signo != 0)
        m.send_to_process(SigInfo{static_cast<int>(signo), kSiUser, 0, self.tid, 0});
    return SysResult::of(0);
}

namespace {
SysResult thread_kill(Process& m, Lwp& self, i64 tid, u64 signo) {
    if (signo > sig::max || tid <= 0)
        return SysResult::of(-err::INVAL);
    Lwp* target = m.find_lwp(static_cast<int>(tid));
    if (target == nullptr)
        return SysResult::of(-err::SRCH);
    if (signo != 0)
        m.send_to_thread(*target, SigInfo{static_cast<int>(signo), kSiTkill, 0, self.tid, 0});
    return SysResult::of(0);
}
} // namespace

SysResult sys_tgkill(Process& m, Lwp& self, const SyscallArgs& args) {
    if (to_i64(args.a[0], m.word_size()) != m.pid())
        return SysResult::of(-err::SRCH);
    return thread_kill(m, self, to_i64(args.a[1], m.word_size()), args.a[2]);
}

SysResult sys_tkill(Process& m, Lwp& self, const SyscallArgs& args) {
    return thread_kill(m, self, to_i64(args.a[0], m.word_size()), args.a[1]);
}

} // namespace crossrt::kernel::lnx
