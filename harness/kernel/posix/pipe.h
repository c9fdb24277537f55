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

// pipe(2) and pipe2(2): two new fds, the lowest free first (the read
// end), written to fds_out as two ints (every arch and personality does).
// 0, EMFILE past RLIMIT_NOFILE, or EFAULT (then no fd stays open).
i64 make_pipe(Process& m, u64 fds_out, bool nonblock, bool cloexec);

// Bytes written, or -errno (EAGAIN when a non-blocking end is full, EPIPE
// with SIGPIPE to self when no reader is left, EFAULT).
i64 pipe_write(Process& m, Lwp& self, OpenFile& file, u64 buffer, u64 length);
// Bytes read, 0 at EOF, -EAGAIN, -EFAULT; or self blocks until a write or
// close (notify_files completes the read).
SysResult pipe_read(Process& m, Lwp& self, OpenFile& file, int fd, u64 buffer, u64 length);
// Moves up to length buffered bytes to the guest: how many, or -EFAULT.
i64 pipe_copy_out(Process& m, Pipe& pipe, u64 buffer, u64 length);

} // namespace crossrt::kernel::posix
