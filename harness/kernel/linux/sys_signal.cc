// Signals with Linux's struct sigaction, sigset_t (one 64-bit word) and
// stack_t around posix/signals.h; sigreturn restores a Linux frame.
#include "kernel/linux/sys.h"
#include "kernel/posix/signals.h"

#include <fmt/format.h>

namespace crossrt::kernel::lnx {
namespace {

constexpr u64 kSigBlock = 0;
constexpr u64 kSigUnblock = 1;
constexpr u64 kSigSetmask = 2;
constexpr u64 kSigsetSize = 8;

bool valid_signal(u64 signo) {
    return signo >= 1 && signo <= sig::max;
}

SysResult do_sigreturn(Process& m, Lwp& self, bool rt) {
    u64 frame = linux_abi(m).sigreturn_frame(m.uc(), rt);
    // The full CPU state saved at delivery first (FP/SIMD, segments), then
    // the frame's registers on top: a handler may have changed them.
    bool delivered = m.restore_signal_context(self, frame);
    if (!delivered && m.ended())
        return SysResult::none(); // the saved state could not be restored
    // Every frame this kernel delivers is an rt frame, a handler without
    // SA_SIGINFO's too (it reads only its signal number, where both
    // layouts put it). Its libc returns from such a handler with the plain
    // sigreturn (386, arm), whose frame address is then the rt frame's:
    // read as what was delivered. An old-style frame the guest built
    // itself is read as one.
    auto mask = linux_abi(m).signal_return(m, self, rt || delivered, frame);
    if (!mask) {
        m.trace().line(m.total_insns(), "lwp {}: bad sigreturn frame at {:#x}: SIGSEGV",
                       self.ordinal, frame);
        m.kill_process(sig::SEGV);
        return SysResult::none();
    }
    self.sigmask = *mask & ~posix::kUnmaskable;
    return SysResult::none();
}

SysResult thread_kill(Process& m, Lwp& self, i64 tid, u64 signo) {
    if (signo > sig::max || tid <= 0)
        return SysResult::of(-err::INVAL);
    return SysResult::of(
        posix::kill_lwp(m, tid, SigInfo{static_cast<int>(signo), kSiTkill, 0, self.tid, 0}));
}

} // namespace

// rt_sigaction(sig, act, oact, sigsetsize); struct sigaction is {handler,
// flags, restorer, mask} (words, then the 64-bit mask). The old action is
// written before the new one is read, so act == oact reads back the old.
SysResult sys_rt_sigaction(Process& m, Lwp&, const SyscallArgs& args) {
    u64 signo = args.a[0];
    if (!valid_signal(signo) || args.a[3] != kSigsetSize)
        return SysResult::of(-err::INVAL);
    u64 word = static_cast<u64>(m.word_size());
    if (args.a[2] != 0) {
        const SigAction& action = m.actions()[signo];
        u64 at = args.a[2];
        if (!m.write_word(at, action.handler) || !m.write_word(at + word, action.flags) ||
            !m.write_word(at + 2 * word, action.restorer) ||
            !m.memory().write_value(at + 3 * word, action.mask))
            return SysResult::of(-err::FAULT);
    }
    if (args.a[1] != 0) {
        if (!posix::action_can_change(static_cast<int>(signo)))
            return SysResult::of(-err::INVAL);
        SigAction next;
        u64 at = args.a[1];
        if (!m.read_word(at, next.handler) || !m.read_word(at + word, next.flags) ||
            !m.read_word(at + 2 * word, next.restorer) ||
            !m.memory().read_value(at + 3 * word, next.mask))
            return SysResult::of(-err::FAULT);
        posix::set_action(m, static_cast<int>(signo), next);
    }
    return SysResult::of(0);
}

// rt_sigprocmask(how, set, oset, sigsetsize)
SysResult sys_rt_sigprocmask(Process& m, Lwp& self, const SyscallArgs& args) {
    if (args.a[3] != kSigsetSize)
        return SysResult::of(-err::INVAL);
    u64 old = self.sigmask;
    if (args.a[1] != 0) {
        u64 set = 0;
        if (!m.memory().read_value(args.a[1], set))
            return SysResult::of(-err::FAULT);
        if (args.a[0] > kSigSetmask)
            return SysResult::of(-err::INVAL);
        posix::change_sigmask(self,
                              args.a[0] == kSigBlock     ? posix::MaskHow::block
                              : args.a[0] == kSigUnblock ? posix::MaskHow::unblock
                                                         : posix::MaskHow::set,
                              set);
    }
    if (args.a[2] != 0 && !m.memory().write_value(args.a[2], old))
        return SysResult::of(-err::FAULT);
    return SysResult::of(0);
}

SysResult sys_rt_sigpending(Process& m, Lwp& self, const SyscallArgs& args) {
    u64 pending = posix::pending_blocked(m, self);
    return SysResult::of(m.memory().write_value(args.a[0], pending) ? 0 : -err::FAULT);
}

// sigaltstack(ss, oss); stack_t is {ss_sp (word), ss_flags (int, padded to
// a word on amd64), ss_size (word)}.
SysResult sys_sigaltstack(Process& m, Lwp& self, const SyscallArgs& args) {
    constexpr i32 kSsOnstack = 1;
    constexpr i32 kSsDisable = 2;
    constexpr i32 kSsAutodisarm = static_cast<i32>(0x80000000u);
    constexpr u64 kMinsigstksz = 2048;
    u64 word = static_cast<u64>(m.word_size());
    bool on = posix::on_altstack(m, self);
    if (args.a[1] != 0) {
        u64 at = args.a[1];
        i32 flags = self.altstack.disabled ? kSsDisable : on ? kSsOnstack : 0;
        if (!m.write_word(at, self.altstack.sp) || !m.memory().write_value(at + word, flags) ||
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
        if ((ss_flags & ~(kSsDisable | kSsAutodisarm)) != 0 && !on)
            return SysResult::of(-err::INVAL);
        if (i64 r = posix::replace_altstack(self, on, (ss_flags & kSsDisable) != 0, ss_sp, ss_size,
                                            kMinsigstksz);
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

// kill(pid, sig): the sender's siginfo names the calling thread.
SysResult sys_kill(Process& m, Lwp& self, const SyscallArgs& args) {
    u64 signo = args.a[1];
    if (signo > sig::max)
        return SysResult::of(-err::INVAL);
    return SysResult::of(posix::kill(m, to_i64(args.a[0], m.word_size()),
                                     SigInfo{static_cast<int>(signo), kSiUser, 0, self.tid, 0}));
}

SysResult sys_tgkill(Process& m, Lwp& self, const SyscallArgs& args) {
    if (to_i64(args.a[0], m.word_size()) != m.pid())
        return SysResult::of(-err::SRCH);
    return thread_kill(m, self, to_i64(args.a[1], m.word_size()), args.a[2]);
}

SysResult sys_tkill(Process& m, Lwp& self, const SyscallArgs& args) {
    return thread_kill(m, self, to_i64(args.a[0], m.word_size()), args.a[1]);
}

} // namespace crossrt::kernel::lnx
