#include "kernel/posix/pipe.h"

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

i64 pipe_write(Process& m, Lwp& self, OpenFile& file, u64 buffer, u64 length) {
    Pipe& pipe = *file.pipe;
    if (pipe.readers == 0) {
        SigInfo info;
        info.signo = sig::PIPE;
        info.code = kSiUser;
        info.pid = m.pid();
        m.send_to_thread(self, info);
        return -err::PIPE;
    }
    u64 space = kPipeCapacity - std::min(kPipeCapacity, pipe.data.size());
    if (length == 0)
        return 0;
    // A blocking write never waits: past the capacity the buffer grows.
    u64 n = file.nonblock ? std::min(length, space) : std::min<u64>(length, 1 << 20);
    if (n == 0)
        return -err::AGAIN;
    std::vector<u8> bytes(n);
    if (!m.memory().read(buffer, bytes.data(), bytes.size()))
        return -err::FAULT;
    pipe.data.insert(pipe.data.end(), bytes.begin(), bytes.end());
    ++pipe.generation;
    notify_files(m);
    return static_cast<i64>(n);
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
