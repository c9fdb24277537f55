// Signal state as both personalities change it: actions (sigaction), the
// targets of kill and of a thread kill, an LWP's mask and alternate stack.
// Signal numbers and sa_flags are the kernel's (Linux's numbers); each
// personality decodes its own numbers, sigset_t and struct layouts first.
#pragma once

#include "kernel/lwp.h"
#include "kernel/signal/action.h"
#include "kernel/types.h"

namespace crossrt::kernel {
class Process;
} // namespace crossrt::kernel

namespace crossrt::kernel::posix {

// sa_handler's two actions that are not a handler (kSigDfl, kSigIgn) are
// signal/action.h's, the same numbers in every personality and arch.
constexpr bool is_handler(u64 handler) {
    return handler != kSigDfl && handler != kSigIgn;
}

// No mask may hold these (sigprocmask, sigaction's sa_mask, sigreturn).
constexpr u64 kUnmaskable = sigbit(sig::KILL) | sigbit(sig::STOP);

// sigaction: SIGKILL and SIGSTOP keep their default action (EINVAL).
bool action_can_change(int signo);
// Installs action for signo; its mask loses SIGKILL and SIGSTOP, and an
// action that ignores the signal discards it where it is pending.
void set_action(Process& m, int signo, SigAction action);

// kill(pid, ...): a process of the run by its pid, 0 or -pgid (the run's
// one process group), -1 (every other process); -ESRCH when none is
// alive. signo 0 checks only.
i64 kill(Process& m, i64 pid, const SigInfo& info);
// The LWP a thread kill names (tid or lid), or null.
Lwp* find_lwp(Process& m, i64 id);
// tkill/_lwp_kill: -ESRCH for no such LWP, else the signal (signo 0: none).
i64 kill_lwp(Process& m, i64 id, const SigInfo& info);

// sigpending: the pending signals self blocks.
u64 pending_blocked(const Process& m, const Lwp& self);

enum class MaskHow { block, unblock, set };
// sigprocmask: SIGKILL and SIGSTOP stay unblocked whatever the guest asks.
void change_sigmask(Lwp& self, MaskHow how, u64 set);

// Whether the running LWP's stack pointer is on its alternate stack.
bool on_altstack(Process& m, const Lwp& self);
// sigaltstack's new stack, its flags already checked: 0 or -errno (EPERM
// while running on the current one, ENOMEM below min_size, the
// personality's MINSIGSTKSZ).
i64 replace_altstack(Lwp& self, bool running_on_it, bool disable, u64 sp, u64 size, u64 min_size);

} // namespace crossrt::kernel::posix
