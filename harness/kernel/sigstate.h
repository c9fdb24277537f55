// An LWP's signal mask and alternate stack as both personalities change
// them: the system calls differ only in their numbers and struct layouts,
// which each personality decodes before calling these.
#pragma once

#include "kernel/lwp.h"
#include "kernel/types.h"

namespace crossrt::kernel {

// No mask may hold these (sigprocmask, sigaction's sa_mask, sigreturn).
constexpr u64 kUnmaskable = sigbit(sig::KILL) | sigbit(sig::STOP);

enum class MaskHow { block, unblock, set };

// sigprocmask: SIGKILL and SIGSTOP stay unblocked whatever the guest asks.
void change_sigmask(Lwp& self, MaskHow how, u64 set);

// sigaltstack's new stack, its flags already checked: 0 or -errno (EPERM
// while running on the current one, ENOMEM below min_size).
i64 replace_altstack(Lwp& self, bool running_on_it, bool disable, u64 sp, u64 size, u64 min_size);

} // namespace crossrt::kernel
