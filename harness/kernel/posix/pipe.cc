#include "kernel/posix/pipe.h"

#include "kernel/posix/fd.h"
#include "kernel/posix/poll.h"
#include "kernel/process.h"

#include <vector>

namespace crossrt::kernel::posix {

i64 make_pipe(Process& m, u64 fds_out, bool nonblock, bool cloexec) {
    Files& files = m.files();
    int read_fd = files.lowest_free();
    int write_fd = files.lowest_free_from(read_fd + 1);
    if (!files.within_limit(static_cast<u64>(write_fd)))
        return -err::MFILE;
    if (!m.memory().write_value(fds_out, static_cast<u32>(read_fd)) ||
        !m.memory().write_value(fds_out + 4, static_cast<u32>(write_fd)))
        return -err::FAULT;
    auto pipe = std::make_shared<Pipe>();
    pipe->readers = 1;
    pipe->writers = 1;
    OpenFile read_end;
    read_end.kind = FileKind::pipe_read;
    read_end.pipe = pipe;
    read_end.nonblock = nonblock;
    read_end.cloexec = cloexec;
    OpenFile write_end = read_end;
    write_end.kind = FileKind::pipe_write;
    files.open[read_fd] = std::move(read_end);
    files.open[write_fd] = std::move(write_end);
    return 0;
}

i64 pipe_copy_out(Process& m, Pipe& pipe, u64 buffer, u64 length) {
    u64 n = std::min<u64>(length, pipe.data.size());
    std::vector<u8> bytes(pipe.data.begin(), pipe.data.begin() + static_cast<i64>(n));
    if (n > 0 && !m.memory().write(buffer, bytes.data(), bytes.size()))
        return -err::FAULT;
    pipe.data.erase(pipe.data.begin(), pipe.data.begin() + static_cast<i64>(n));
    if (n > 0)
        ++pipe.generation;
    return static_cast<i64>(n);
}

namespace {

// SIGPIPE to the writer (unless it asked for none), and EPIPE: no reader
// is left.
i64 broken_pipe(Process& m, Lwp& self, bool no_sigpipe) {
    if (no_sigpipe)
        return -err::PIPE;
    SigInfo info;
    info.signo = sig::PIPE;
    info.code = kSiUser;
    info.pid = m.pid();
    m.send_to_thread(self, info);
    return -err::PIPE;
}

// The bytes of a write that go into the pipe now: all that fit, but a
// write of at most PIPE_BUF bytes goes in whole or not at all.
u64 bytes_that_fit(const Pipe& pipe, u64 length) {
    u64 space = kPipeCapacity - std::min(kPipeCapacity, pipe.data.size());
    if (length <= kPipeAtomic && length > space)
        return 0;
    return std::min(length, space);
}

// Copies n bytes of the guest's buffer into the pipe; false: EFAULT.
bool append(Process& m, Pipe& pipe, u64 buffer, u64 n) {
    std::vector<u8> bytes(n);
    if (n > 0 && !m.memory().read(buffer, bytes.data(), bytes.size()))
        return false;
    pipe.data.insert(pipe.data.end(), bytes.begin(), bytes.end());
    if (n > 0)
        ++pipe.generation;
    return true;
}

} // namespace

SysResult pipe_write(Process& m, Lwp& self, Pipe& pipe, bool nonblock, bool no_sigpipe, int fd,
                     u64 buffer, u64 length) {
    if (pipe.readers == 0)
        return SysResult::of(broken_pipe(m, self, no_sigpipe));
    length = std::min(length, kMaxIo);
    if (length == 0)
        return SysResult::of(0);
    u64 n = bytes_that_fit(pipe, length);
    if (n == 0 && nonblock)
        return SysResult::of(-err::AGAIN);
    if (!append(m, pipe, buffer, n))
        return SysResult::of(-err::FAULT);
    if (n > 0)
        notify_files(m);
    // A non-blocking write takes what fits; a blocking one waits for room
    // for the rest (the pipe holds at most its capacity, whatever writes).
    if (n == length || nonblock)
        return SysResult::of(static_cast<i64>(n));
    Wait wait;
    wait.kind = WaitKind::pipe_write;
    wait.no_sigpipe = no_sigpipe;
    wait.fd = fd;
    wait.address = buffer;
    wait.count = length;
    wait.sequence = n; // written so far
    wait.restartable = true;
    m.block(self, wait);
    return SysResult::blocked();
}

bool pipe_write_resumes(Process& m, Lwp& lwp, Pipe& pipe) {
    Wait& wait = lwp.wait;
    if (pipe.readers == 0) {
        i64 result = wait.sequence > 0 ? static_cast<i64>(wait.sequence)
                                       : broken_pipe(m, lwp, wait.no_sigpipe);
        m.wake(lwp, result);
        return true;
    }
    u64 n = bytes_that_fit(pipe, wait.count - wait.sequence);
    if (n == 0)
        return false;
    if (!append(m, pipe, wait.address + wait.sequence, n)) {
        m.wake(lwp, wait.sequence > 0 ? static_cast<i64>(wait.sequence) : -err::FAULT);
        return true;
    }
    wait.sequence += n;
    if (wait.sequence == wait.count)
        m.wake(lwp, static_cast<i64>(wait.count));
    return true;
}

SysResult pipe_read(Process& m, Lwp& self, OpenFile& file, int fd, u64 buffer, u64 length) {
    Pipe& pipe = *file.pipe;
    if (length == 0)
        return SysResult::of(0);
    if (!pipe.data.empty() || pipe.writers == 0) {
        i64 n = pipe_copy_out(m, pipe, buffer, length);
        notify_files(m); // space for writers' EPOLLOUT
        return SysResult::of(n);
    }
    if (file.nonblock)
        return SysResult::of(-err::AGAIN);
    Wait wait;
    wait.kind = WaitKind::pipe_read;
    wait.fd = fd;
    wait.address = buffer;
    wait.count = length;
    wait.restartable = true;
    m.block(self, wait);
    return SysResult::blocked();
}

} // namespace crossrt::kernel::posix
