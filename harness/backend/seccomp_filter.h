// The seccomp filter every native and qemu guest (and the unicorn backend's
// emulator process) runs under: the system calls a test guest never needs
// and that reach past its namespaces to the host's kernel are refused.
// Everything else is allowed: the namespaces, the missing capabilities,
// Landlock and the cgroup do the rest. docs/security-model.md lists the
// calls and why.
#pragma once

#include <linux/filter.h>
#include <string>
#include <vector>

namespace crossrt {

// One refused call: its name (as libseccomp and the man pages spell it),
// the errno the guest gets, and why it is refused.
struct DeniedCall {
    const char* name;
    int error;
    const char* why;
};

// The calls refused outright (clone and unshare are refused only with a
// namespace flag, ptrace only to attach: see the .cc).
const std::vector<DeniedCall>& denied_calls();
// Refused too where the guest has no IPC namespace of its own (the
// sandbox's fallback): System V IPC, whose objects would be the host's.
const std::vector<DeniedCall>& denied_without_ipc_namespace();

// The BPF program, built once with libseccomp for x86-64, x86 (the native
// backend runs 386 binaries) and x32; empty when libseccomp failed (then a
// note on stderr, once, and guests run without the filter).
// ipc_namespace: whether the guest has its own (else System V IPC is refused).
const std::vector<sock_filter>& guest_seccomp_program(bool ipc_namespace);

// Installs the program on the calling thread (PR_SET_NO_NEW_PRIVS must be
// set); async-signal-safe. True when the program is empty.
bool apply_seccomp(const std::vector<sock_filter>& program) noexcept;

} // namespace crossrt
