// Waiting for children (wait4, waitid, NetBSD's __wait450): an ended child
// is handed to the personality's writer (its status word, siginfo or
// rusage layout) and reaped unless WNOWAIT asked otherwise; with none
// ended yet the caller blocks until one ends (process_tree.cc wakes it),
// or WNOHANG says 0. ECHILD when the caller has no such child.
#pragma once

#include "kernel/lwp.h"
#include "kernel/posix/syscall_table.h"

namespace crossrt::kernel {
class Process;
}

namespace crossrt::kernel::posix {

struct ChildWait {
    i64 pid = -1; // > 0: that child; otherwise any (the run has one process group)
    bool nohang = false;
    bool keep = false; // WNOWAIT: it stays waitable
    u64 out = 0;       // the writer's buffers: status or siginfo ...
    u64 extra = 0;     // ... and rusage
    ChildWriter write = nullptr;
};

SysResult wait_child(Process& m, Lwp& self, const ChildWait& request);

// Linux's and NetBSD's wait status word: exit code << 8, or the signal.
constexpr u32 wait_status(const ChildEnd& end) {
    return end.signaled ? static_cast<u32>(end.status) & 0x7f
                        : (static_cast<u32>(end.status) & 0xff) << 8;
}

} // namespace crossrt::kernel::posix
