// Pipes in kernel memory: a buffer with two ends, reads that block while it
// is empty (or EAGAIN), EOF once every write end is closed, EPIPE and
// SIGPIPE once every read end is. A blocking write never waits: past the
// capacity the buffer grows.
#pragma once

#include "kernel/lwp.h"
#include "kernel/posix/files.h"
#include "kernel/posix/syscall_table.h"

namespace crossrt::kernel {
class Process;
}

namespace crossrt::kernel::posix {

struct PipeFds {
    int read = -1;
    int write = -1;
};

// pipe(2): two new fds, the lowest free first (the read end).
PipeFds make_pipe(Process& m, bool nonblock, bool cloexec);
// Takes back a pipe whose fds could not be handed to the guest.
void unmake_pipe(Process& m, const PipeFds& fds);

// Bytes written, or -errno (EAGAIN when a non-blocking end is full, EPIPE
// with SIGPIPE to self when no reader is left, EFAULT).
i64 pipe_write(Process& m, Lwp& self, OpenFile& file, u64 buffer, u64 length);
// Bytes read, 0 at EOF, -EAGAIN, -EFAULT; or self blocks until a write or
// close (notify_files completes the read).
SysResult pipe_read(Process& m, Lwp& self, OpenFile& file, int fd, u64 buffer, u64 length);
// Moves up to length buffered bytes to the guest: how many, or -EFAULT.
i64 pipe_copy_out(Process& m, Pipe& pipe, u64 buffer, u64 length);

} // namespace crossrt::kernel::posix
