#include "kernel/posix/fifo.h"

#include "kernel/kernel.h"
#include "kernel/posix/poll.h"
#include "kernel/process.h"

namespace crossrt::kernel::posix {
namespace {

// Wait::fd of a waiting open: which end it opens.
constexpr int kReadEnd = 0;
constexpr int kWriteEnd = 1;

// An end whose count is taken already, as the fd it becomes (EMFILE
// gives the count back).
i64 install_end(Process& m, const std::shared_ptr<Pipe>& pipe, bool read, bool write, bool nonblock,
                bool cloexec) {
    int fd = m.files().lowest_free();
    if (!m.files().within_limit(static_cast<u64>(fd))) {
        pipe->readers -= read;
        pipe->writers -= write;
        forget_fifo_if_unused(m, *pipe);
        return -err::MFILE;
    }
    OpenFile file;
    file.kind = read ? FileKind::pipe_read : FileKind::pipe_write;
    file.both_ends = read && write;
    file.pipe = pipe;
    file.nonblock = nonblock;
    file.cloexec = cloexec;
    m.files().open[fd] = std::move(file);
    return fd;
}

// Completes the waiting opens of the pipe's FIFO whose other end was
// opened since they began to wait, in every process.
void complete_waiting_opens(Process& m, const std::shared_ptr<Pipe>& pipe) {
    for (const auto& process : m.kernel().processes()) {
        for (const auto& lwp : process->lwps()) {
            const Wait& wait = lwp->wait;
            if (lwp->state != LwpState::blocked || wait.kind != WaitKind::fifo_open ||
                wait.address != pipe->fifo_ino)
                continue;
            bool read = wait.fd == kReadEnd;
            u64 partner_opens = read ? pipe->writer_opens : pipe->reader_opens;
            if (partner_opens == wait.sequence)
                continue;
            (read ? pipe->waiting_readers : pipe->waiting_writers) -= 1;
            bool cloexec = wait.count != 0;
            i64 fd = install_end(*process, pipe, read, !read, false, cloexec);
            m.trace().line(m.total_insns(), "lwp {} of pid {} wakes: fifo open", lwp->ordinal,
                           process->pid());
            process->wake(*lwp, fd);
        }
    }
}

} // namespace

SysResult fifo_open(Process& m, Lwp& self, const Node& node, const OpenFlags& flags) {
    FileSystem& fs = m.file_system();
    std::shared_ptr<Pipe>& slot = fs.fifos[node.ino];
    if (!slot) {
        slot = std::make_shared<Pipe>();
        slot->fifo_ino = node.ino;
    }
    std::shared_ptr<Pipe> pipe = slot;
    bool read = flags.read, write = flags.write;
    if (write && !read && flags.nonblock && pipe->readers == 0) {
        forget_fifo_if_unused(m, *pipe);
        return SysResult::of(-err::NXIO);
    }
    if (read) {
        ++pipe->readers;
        ++pipe->reader_opens;
    }
    if (write) {
        ++pipe->writers;
        ++pipe->writer_opens;
    }
    complete_waiting_opens(m, pipe);
    bool partner = read && write ? true : read ? pipe->writers > 0 : pipe->readers > 0;
    if (partner || flags.nonblock) {
        i64 fd = install_end(m, pipe, read, write, flags.nonblock, flags.cloexec);
        notify_files(m);
        return SysResult::of(fd);
    }
    Wait wait;
    wait.kind = WaitKind::fifo_open;
    wait.address = node.ino;
    wait.fd = read ? kReadEnd : kWriteEnd;
    wait.sequence = read ? pipe->writer_opens : pipe->reader_opens;
    wait.count = flags.cloexec ? 1 : 0;
    (read ? pipe->waiting_readers : pipe->waiting_writers) += 1;
    m.block(self, wait);
    return SysResult::blocked();
}

void abandon_fifo_open(Process& m, const Wait& wait) {
    auto found = m.file_system().fifos.find(wait.address);
    if (found == m.file_system().fifos.end())
        return;
    Pipe& pipe = *found->second;
    if (wait.fd == kReadEnd) {
        --pipe.waiting_readers;
        --pipe.readers;
    } else {
        --pipe.waiting_writers;
        --pipe.writers;
    }
    forget_fifo_if_unused(m, pipe);
    notify_files(m);
}

void forget_fifo_if_unused(Process& m, const Pipe& pipe) {
    if (pipe.fifo_ino != 0 && pipe.readers == 0 && pipe.writers == 0)
        m.file_system().fifos.erase(pipe.fifo_ino);
}

} // namespace crossrt::kernel::posix
