#include "kernel/posix/pipe.h"

#include "kernel/posix/poll.h"
#include "kernel/process.h"

#include <vector>

namespace crossrt::kernel::posix {

PipeFds make_pipe(Process& m, bool nonblock, bool cloexec) {
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
    PipeFds fds;
    fds.read = m.files().lowest_free();
    m.files().open[fds.read] = read_end;
    fds.write = m.files().lowest_free();
    m.files().open[fds.write] = write_end;
    return fds;
}

void unmake_pipe(Process& m, const PipeFds& fds) {
    m.files().open.erase(fds.read);
    m.files().open.erase(fds.write);
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
