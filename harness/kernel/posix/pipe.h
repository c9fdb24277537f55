// Pipes in kernel memory: a buffer with two ends, reads that block while it
// is empty (or EAGAIN), EOF once every write end is closed, EPIPE and
// SIGPIPE once every read end is. A blocking write waits for room: the
// buffer never holds more than its capacity. A stream socket's connection
// is two of them (socket.h).
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
// with SIGPIPE to self when no reader is left, unless no_sigpipe, EFAULT).
// A blocking write that does not fit waits (WaitKind::pipe_write on fd)
// until readers make room for all of it; one of at most PIPE_BUF bytes
// goes in whole.
SysResult pipe_write(Process& m, Lwp& self, Pipe& pipe, bool nonblock, bool no_sigpipe, int fd,
                     u64 buffer, u64 length);
// A waiting write goes on with the room there is now: true when it moved
// (some bytes went in, or it ended: all written, EPIPE, EFAULT).
bool pipe_write_resumes(Process& m, Lwp& lwp, Pipe& pipe);
// PIPE_BUF: writes of at most this many bytes are atomic.
constexpr u64 kPipeAtomic = 4096;
// Bytes read, 0 at EOF, -EAGAIN, -EFAULT; or self blocks until a write or
// close (notify_files completes the read).
SysResult pipe_read(Process& m, Lwp& self, OpenFile& file, int fd, u64 buffer, u64 length);
// Moves up to length buffered bytes to the guest: how many, or -EFAULT.
i64 pipe_copy_out(Process& m, Pipe& pipe, u64 buffer, u64 length);

} // namespace crossrt::kernel::posix
