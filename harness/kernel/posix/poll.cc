#include "kernel/posix/poll.h"

#include "kernel/kernel.h"
#include "kernel/posix/epoll.h"
#include "kernel/posix/kqueue.h"
#include "kernel/posix/pipe.h"
#include "kernel/posix/socket.h"
#include "kernel/process.h"

namespace crossrt::kernel::posix {

std::optional<Readiness> readiness(Process& m, u64 fd) {
    OpenFile* file = m.files().find(fd);
    if (file == nullptr)
        return std::nullopt;
    return readiness_of(*file);
}

Readiness readiness_of(const OpenFile& open) {
    Readiness r;
    const OpenFile* file = &open;
    switch (file->kind) {
    case FileKind::stream:
        // stdin is empty (at its end), stdout and stderr always take data.
        r.events.hup = file->stream == Stream::in;
        r.events.out = file->stream != Stream::in;
        break;
    case FileKind::tree:
        // A regular file is always ready, both ways (as poll(2) says).
        r.events.in = file->tree->readable;
        r.events.out = file->tree->writable;
        break;
    case FileKind::pipe_read: {
        const Pipe& pipe = *file->pipe;
        r.pipe = true;
        r.bytes = pipe.data.size();
        r.generation = pipe.generation;
        r.events.in = !pipe.data.empty();
        r.events.hup = pipe.writers == 0;
        r.events.out = file->both_ends && pipe.data.size() < kPipeCapacity;
        break;
    }
    case FileKind::pipe_write: {
        const Pipe& pipe = *file->pipe;
        r.pipe = true;
        r.bytes = kPipeCapacity - std::min(kPipeCapacity, pipe.data.size());
        r.generation = pipe.generation;
        r.events.out = pipe.readers == 0 || pipe.data.size() < kPipeCapacity;
        r.events.err = pipe.readers == 0;
        break;
    }
    case FileKind::socket:
        return socket_readiness(*file->socket);
    case FileKind::epoll:
    case FileKind::kqueue:
        break;
    case FileKind::virtual_file:
        r.events.in = r.events.out = true; // devices and snapshots never block
        break;
    }
    return r;
}

u32 ready_bits(const PollEvents& events) {
    return (events.in ? kReadyIn : 0) | (events.out ? kReadyOut : 0) |
           (events.err ? kReadyErr : 0) | (events.hup ? kReadyHup : 0) |
           (events.rdhup ? kReadyRdhup : 0);
}

namespace {

constexpr u64 kPollfdSize = 8;

// Fills in every revents of the array: how many have events, or -EFAULT.
i64 poll_collect(Process& m, u64 fds, u64 count, PollTranslator translate) {
    i64 ready = 0;
    for (u64 i = 0; i < count; ++i) {
        u64 at = fds + i * kPollfdSize;
        i32 fd = 0;
        u16 requested = 0;
        if (!m.memory().read_value(at, fd) || !m.memory().read_value(at + 4, requested))
            return -err::FAULT;
        u16 revents = 0;
        if (fd >= 0) {
            auto now = readiness(m, static_cast<u64>(fd));
            revents = translate(requested, now ? ready_bits(now->events) : kReadyInvalid);
        }
        if (!m.memory().write_value(at + 6, revents))
            return -err::FAULT;
        ready += revents != 0;
    }
    return ready;
}

} // namespace

SysResult poll_files(Process& m, Lwp& self, u64 fds, u64 count, std::optional<u64> timeout_ns,
                     PollTranslator translate) {
    if (count > m.files().open_soft)
        return SysResult::of(-err::INVAL);
    i64 ready = poll_collect(m, fds, count, translate);
    if (ready != 0 || timeout_ns == u64{0})
        return SysResult::of(ready);
    Wait wait;
    wait.kind = WaitKind::poll;
    wait.events_out = fds;
    wait.count = count;
    wait.poll_translate = translate;
    if (timeout_ns)
        wait.deadline = m.now_ns() + *timeout_ns;
    wait.timeout_result = 0;
    wait.restartable = false; // as Linux: EINTR after any handler
    m.block(self, wait);
    return SysResult::blocked();
}

SysResult wait_on_queue(Process& m, Lwp& self, WaitKind kind, int fd, u64 buffer, u64 max,
                        std::optional<u64> timeout_ns) {
    Wait wait;
    wait.kind = kind;
    wait.fd = fd;
    wait.events_out = buffer;
    wait.count = max;
    if (timeout_ns)
        wait.deadline = m.now_ns() + *timeout_ns;
    wait.timeout_result = 0;  // no events
    wait.restartable = false; // an event wait is never restarted: EINTR
    m.block(self, wait);
    return SysResult::blocked();
}

namespace {

// Wakes the process's waiters that can go on; true when a pipe's bytes
// moved (a reader took some, a writer put some in), which may let waiters
// of other processes go on in turn.
bool notify_process(Process& m) {
    bool moved = false;
    for (const auto& lwp : m.lwps()) {
        if (lwp->state != LwpState::blocked)
            continue;
        Wait& wait = lwp->wait;
        OpenFile* file = nullptr;
        if (wait.kind == WaitKind::epoll || wait.kind == WaitKind::kevent ||
            wait.kind == WaitKind::pipe_read || wait.kind == WaitKind::pipe_write)
            file = m.files().find(static_cast<u64>(wait.fd));
        if (wait.kind == WaitKind::poll) {
            i64 ready = poll_collect(m, wait.events_out, wait.count, wait.poll_translate);
            if (ready != 0) {
                m.trace().line(m.total_insns(), "lwp {} wakes: poll", lwp->ordinal);
                m.wake(*lwp, ready);
            }
        } else if (wait.kind == WaitKind::socket) {
            // The call runs again and decides for itself (Process::retry).
            if (socket_wait_over(m, wait)) {
                m.trace().line(m.total_insns(), "lwp {} wakes: socket", lwp->ordinal);
                m.retry(*lwp);
            }
        } else if (wait.kind == WaitKind::epoll) {
            if (file == nullptr || file->kind != FileKind::epoll)
                continue;
            i64 count = epoll_collect(m, *file->epoll, wait.events_out, wait.count);
            if (count != 0) {
                m.trace().line(m.total_insns(), "lwp {} wakes: epoll_wait", lwp->ordinal);
                m.wake(*lwp, count);
            }
        } else if (wait.kind == WaitKind::kevent) {
            if (file == nullptr || file->kind != FileKind::kqueue)
                continue;
            i64 count = kqueue_collect(m, *file->kqueue, wait.events_out, wait.count);
            if (count != 0) {
                m.trace().line(m.total_insns(), "lwp {} wakes: kevent", lwp->ordinal);
                m.wake(*lwp, count);
            }
        } else if (wait.kind == WaitKind::pipe_read) {
            if (file == nullptr || file->kind != FileKind::pipe_read)
                continue;
            if (!file->pipe->data.empty() || file->pipe->writers == 0) {
                m.trace().line(m.total_insns(), "lwp {} wakes: read", lwp->ordinal);
                moved = moved || !file->pipe->data.empty();
                m.wake(*lwp, pipe_copy_out(m, *file->pipe, wait.address, wait.count));
            }
        } else if (wait.kind == WaitKind::pipe_write) {
            Pipe* pipe = file == nullptr ? nullptr
                         : file->pipe    ? file->pipe.get()
                                         : socket_send_pipe(*file);
            if (pipe == nullptr)
                continue;
            if (pipe_write_resumes(m, *lwp, *pipe)) {
                moved = true;
                if (lwp->state != LwpState::blocked)
                    m.trace().line(m.total_insns(), "lwp {} wakes: write", lwp->ordinal);
            }
        }
    }
    return moved;
}

} // namespace

void notify_files(Process& m) {
    // A pipe may be shared by several processes (fork): each one's waiters
    // look at their own file table, until no bytes move any more (every
    // round that moves some fills or drains a bounded pipe, or ends a wait).
    bool moved = true;
    while (moved) {
        moved = false;
        for (const auto& process : m.kernel().processes()) {
            if (process->alive())
                moved = notify_process(*process) || moved;
        }
    }
}

} // namespace crossrt::kernel::posix
