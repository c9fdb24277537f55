// NetBSD signal frames, the ones sendsig_siginfo builds: siginfo_t and a
// ucontext_t below the stack pointer (or the altstack top), the handler
// called as handler(sig, info, uc) with its return going to the trampoline
// __sigaction_sigtramp registered, which calls setcontext(uc). One file per
// arch (frame_netbsd_<arch>.cc): the frame's layout and the registers the
// handler starts with.
#pragma once

#include "kernel/abi/netbsd.h"
#include "kernel/types.h"

namespace crossrt::kernel {

class Process;
struct Lwp;

// siginfo_t (128 bytes): si_signo, si_code, si_errno, then the reason
// union (after a pad on LP64): si_addr and si_trap for faults, si_pid and
// si_uid for kill.
bool write_netbsd_siginfo(Process& process, u64 at, const NetbsdFrame& frame);

// siginfo at si, then the ucontext at ucp: its header (the mask to
// restore, the altstack) and the interrupted registers (mcontext).
bool write_netbsd_signal_context(Process& process, Lwp& lwp, const NetbsdAbi& abi,
                                 const NetbsdFrame& frame, u64 si, u64 ucp);

// Each writes the frame and points the live registers at the handler;
// the ucontext's address, or 0 when the frame cannot be written.
u64 push_netbsd_frame_amd64(Process& process, Lwp& lwp, const NetbsdAbi& abi,
                            const NetbsdFrame& frame);
u64 push_netbsd_frame_386(Process& process, Lwp& lwp, const NetbsdAbi& abi,
                          const NetbsdFrame& frame);
u64 push_netbsd_frame_arm(Process& process, Lwp& lwp, const NetbsdAbi& abi,
                          const NetbsdFrame& frame);

} // namespace crossrt::kernel
