// Readiness and waits on the file table: what a file offers now (as poll(2)
// sees it), LWPs blocked until a file changes (a pipe read, an epoll_wait,
// a kevent), and the one place that wakes them.
#pragma once

#include "kernel/lwp.h"
#include "kernel/posix/files.h"
#include "kernel/posix/syscall_table.h"
#include "kernel/types.h"

#include <optional>

namespace crossrt::kernel {
class Process;
}

namespace crossrt::kernel::posix {

// poll(2)'s events, the neutral form of epoll's and kqueue's.
struct PollEvents {
    bool in = false;    // data to read
    bool out = false;   // a write would not block (or would fail with EPIPE)
    bool err = false;   // a pipe's write end: every reader is gone; a socket's error
    bool hup = false;   // a read end: every writer is gone (stdin: at its end)
    bool rdhup = false; // a socket can receive no more (Linux's EPOLLRDHUP)
};

// PollEvents as one word (what a PollTranslator is given).
constexpr u32 kReadyIn = 1;
constexpr u32 kReadyOut = 2;
constexpr u32 kReadyErr = 4;
constexpr u32 kReadyHup = 8;
constexpr u32 kReadyRdhup = 16;
constexpr u32 kReadyInvalid = 32; // the fd is not open (POLLNVAL)
u32 ready_bits(const PollEvents& events);

struct Readiness {
    PollEvents events;
    bool pipe = false; // a pipe end (the rest: fds 0-2, queues, virtual files)
    bool socket = false;
    u64 bytes = 0;           // pipes: bytes to read (read end), room left (write end);
                             // sockets: bytes to read (a listener: connections)
    u64 room = 0;            // sockets: room in the send buffer
    bool cant_send = false;  // sockets: shut for sending, or the peer gone
    bool send_ready = false; // sockets: connected (or datagram) with room to send
    u64 generation = 0;      // pipes: Pipe::generation; sockets: changes of either
};

// fd's readiness now: fd 0 is at its end, 1 and 2 always take data, virtual
// files never block, event queues offer nothing. nullopt: fd is not open.
std::optional<Readiness> readiness(Process& m, u64 fd);
// The same for an open file description (what an epoll item watches).
Readiness readiness_of(const OpenFile& file);

// Blocks self until notify_files finds events on the queue at fd (kind:
// WaitKind::epoll or WaitKind::kevent), the timeout passes (0 events) or a
// signal arrives (EINTR, never restarted). Events go to buffer, at most max.
SysResult wait_on_queue(Process& m, Lwp& self, WaitKind kind, int fd, u64 buffer, u64 max,
                        std::optional<u64> timeout_ns);

// poll(2) over the struct pollfd array at fds (int fd, short events, short
// revents: the same on every arch and personality), whose bits the
// personality translates: the number of fds with events, -EFAULT, -EINVAL
// (more than RLIMIT_NOFILE), or self blocks until one has some, the
// timeout passes (0) or a signal arrives (EINTR, never restarted).
SysResult poll_files(Process& m, Lwp& self, u64 fds, u64 count, std::optional<u64> timeout_ns,
                     PollTranslator translate);

// After a file changed: wakes every LWP whose pipe read or event wait can
// complete now. The result it wakes them with is a count or -EFAULT,
// numbered alike by every personality.
void notify_files(Process& m);

} // namespace crossrt::kernel::posix
