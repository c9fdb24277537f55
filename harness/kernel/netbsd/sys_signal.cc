// Signals with NetBSD's numbers, masks (sigset_t: 4 x u32), struct
// sigaction and stack_t layouts around posix/signals.h, translated to the
// kernel's (Linux's) numbering (signals.h). __sigaction_sigtramp records
// the trampoline the handler returns to (it calls setcontext on the
// frame's ucontext).
#include "kernel/netbsd/signals.h"
#include "kernel/netbsd/sys.h"
#include "kernel/posix/signals.h"

namespace crossrt::kernel::nbsd {
namespace {

// sa_flags (sys/signal.h).
constexpr u64 kSaOnstack = 0x1;
constexpr u64 kSaRestart = 0x2;
constexpr u64 kSaResethand = 0x4;
constexpr u64 kSaNodefer = 0x10;
constexpr u64 kSaSiginfo = 0x40;
constexpr u64 kSaKnown = kSaOnstack | kSaRestart | kSaResethand | 0x8 /*NOCLDSTOP*/ | kSaNodefer |
                         0x20 /*NOCLDWAIT*/ | kSaSiginfo;

constexpr u64 kSigBlock = 1;
constexpr u64 kSigUnblock = 2;
constexpr u64 kSigSetmask = 3;
constexpr i32 kSsOnstack = 1;
constexpr i32 kSsDisable = 4;
constexpr u64 kMinSigstksz = 8192;

u64 flags_to_linux(u64 flags) {
    return ((flags & kSaOnstack) != 0 ? crossrt::kernel::kSaOnstack : 0) |
           ((flags & kSaRestart) != 0 ? crossrt::kernel::kSaRestart : 0) |
           ((flags & kSaResethand) != 0 ? crossrt::kernel::kSaResethand : 0) |
           ((flags & kSaNodefer) != 0 ? crossrt::kernel::kSaNodefer : 0) |
           ((flags & kSaSiginfo) != 0 ? crossrt::kernel::kSaSiginfo : 0);
}

u64 flags_to_netbsd(u64 flags) {
    return ((flags & crossrt::kernel::kSaOnstack) != 0 ? kSaOnstack : 0) |
           ((flags & crossrt::kernel::kSaRestart) != 0 ? kSaRestart : 0) |
           ((flags & crossrt::kernel::kSaResethand) != 0 ? kSaResethand : 0) |
           ((flags & crossrt::kernel::kSaNodefer) != 0 ? kSaNodefer : 0) |
           ((flags & crossrt::kernel::kSaSiginfo) != 0 ? kSaSiginfo : 0);
}

bool read_sigset(Process& m, u64 at, u64& mask) {
    std::array<u32, 4> words{};
    if (!m.memory().read(at, words.data(), sizeof words))
        return false;
    mask = mask_to_linux(words);
    return true;
}

bool write_sigset(Process& m, u64 at, u64 mask) {
    std::array<u32, 4> words = mask_to_netbsd(mask);
    return m.memory().write(at, words.data(), sizeof words);
}

} // namespace

// __sigaction_sigtramp(sig, act, oact, tramp, vers)
SysResult sys_sigaction_sigtramp(Process& m, Lwp&, const SyscallArgs& args) {
    int linux = to_linux_signal(static_cast<int>(args.a[0]));
    if (linux == 0)
        return SysResult::of(-err::INVAL);
    u64 word = static_cast<u64>(m.word_size());
    // struct sigaction { handler; sigset_t sa_mask; int sa_flags; }. The old
    // action is written before the new one is read (act == oact reads back
    // the old one).
    if (args.a[2] != 0) {
        const SigAction& action = m.actions()[static_cast<std::size_t>(linux)];
        u64 at = args.a[2];
        if (!m.write_word(at, action.handler) || !write_sigset(m, at + word, action.mask) ||
            !m.memory().write_value(at + word + 16,
                                    static_cast<i32>(flags_to_netbsd(action.flags))))
            return SysResult::of(-err::FAULT);
    }
    if (args.a[1] != 0) {
        if (!posix::action_can_change(linux))
            return SysResult::of(-err::INVAL);
        u64 at = args.a[1];
        SigAction next;
        u32 flags = 0;
        if (!m.read_word(at, next.handler) || !read_sigset(m, at + word, next.mask) ||
            !m.memory().read_value(at + word + 16, flags))
            return SysResult::of(-err::FAULT);
        if ((flags & ~kSaKnown) != 0)
            return SysResult::of(-err::INVAL);
        // A handler needs the siginfo trampoline (version 2): the old
        // sigcontext versions are not supported.
        if (posix::is_handler(next.handler) && (args.a[3] == 0 || args.a[4] != 2))
            return SysResult::of(
                m.unsupported(args, "__sigaction_sigtramp (no siginfo trampoline)"));
        next.flags = flags_to_linux(flags);
        next.trampoline = args.a[3];
        posix::set_action(m, linux, next);
    }
    return SysResult::of(0);
}

// __sigprocmask14(how, set, oset)
SysResult sys_sigprocmask(Process& m, Lwp& self, const SyscallArgs& args) {
    u64 old = self.sigmask;
    if (args.a[1] != 0) {
        u64 set = 0;
        if (!read_sigset(m, args.a[1], set))
            return SysResult::of(-err::FAULT);
        if (args.a[0] < kSigBlock || args.a[0] > kSigSetmask)
            return SysResult::of(-err::INVAL);
        posix::change_sigmask(self,
                              args.a[0] == kSigBlock     ? posix::MaskHow::block
                              : args.a[0] == kSigUnblock ? posix::MaskHow::unblock
                                                         : posix::MaskHow::set,
                              set);
    }
    if (args.a[2] != 0 && !write_sigset(m, args.a[2], old))
        return SysResult::of(-err::FAULT);
    return SysResult::of(0);
}

// __sigaltstack14(ss, oss); stack_t is { ss_sp; size_t ss_size; int ss_flags; }
SysResult sys_sigaltstack(Process& m, Lwp& self, const SyscallArgs& args) {
    u64 word = static_cast<u64>(m.word_size());
    bool on = posix::on_altstack(m, self);
    if (args.a[1] != 0) {
        u64 at = args.a[1];
        i32 flags = self.altstack.disabled ? kSsDisable : on ? kSsOnstack : 0;
        if (!m.write_word(at, self.altstack.sp) || !m.write_word(at + word, self.altstack.size) ||
            !m.memory().write_value(at + 2 * word, flags))
            return SysResult::of(-err::FAULT);
    }
    if (args.a[0] != 0) {
        u64 at = args.a[0];
        u64 ss_sp = 0, ss_size = 0;
        i32 ss_flags = 0;
        if (!m.read_word(at, ss_sp) || !m.read_word(at + word, ss_size) ||
            !m.memory().read_value(at + 2 * word, ss_flags))
            return SysResult::of(-err::FAULT);
        if ((ss_flags & ~kSsDisable) != 0 && !on)
            return SysResult::of(-err::INVAL);
        if (i64 r = posix::replace_altstack(self, on, (ss_flags & kSsDisable) != 0, ss_sp, ss_size,
                                            kMinSigstksz);
            r < 0)
            return SysResult::of(encode_errno(r));
    }
    return SysResult::of(0);
}

// kill(pid, sig): the target is checked before the signal's number. The
// sender's siginfo names the process.
SysResult sys_kill(Process& m, Lwp&, const SyscallArgs& args) {
    i64 pid = to_i64(args.a[0], m.word_size());
    if (args.a[1] == 0)
        return SysResult::of(encode_errno(posix::kill(m, pid, SigInfo{})));
    int linux = to_linux_signal(static_cast<int>(args.a[1]));
    if (linux == 0)
        return SysResult::of(-err::INVAL);
    return SysResult::yield(
        encode_errno(posix::kill(m, pid, SigInfo{linux, kSiUser, 0, m.pid(), 0})));
}

// _lwp_kill(lid, sig): the lid is checked before the signal's number.
SysResult sys_lwp_kill(Process& m, Lwp&, const SyscallArgs& args) {
    i64 lid = static_cast<i64>(args.a[0]);
    if (posix::find_lwp(m, lid) == nullptr)
        return SysResult::of(-err::SRCH);
    if (args.a[1] == 0)
        return SysResult::of(0);
    int linux = to_linux_signal(static_cast<int>(args.a[1]));
    if (linux == 0)
        return SysResult::of(-err::INVAL);
    return SysResult::yield(
        encode_errno(posix::kill_lwp(m, lid, SigInfo{linux, kSiTkill, 0, m.pid(), 0})));
}

} // namespace crossrt::kernel::nbsd
