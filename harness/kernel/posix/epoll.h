// epoll's interest lists over the file table: level-triggered readiness
// (EPOLLET is taken as level-triggered), EPOLLONESHOT, and the wait that
// blocks until notify_files finds an event. The Linux personality decodes
// struct epoll_event and writes the events in its layout (Epoll::write_event).
#pragma once

#include "kernel/lwp.h"
#include "kernel/posix/files.h"
#include "kernel/posix/poll.h"
#include "kernel/posix/syscall_table.h"

#include <optional>

namespace crossrt::kernel {
class Process;
}

namespace crossrt::kernel::posix {

struct EpollEvent {
    PollEvents events; // what is ready, of what was asked (err and hup always)
    u64 data = 0;
};

// epoll_create: the new fd.
i64 make_epoll(Process& m, bool cloexec, EpollEventWriter write_event);

enum class EpollOp { add, modify, remove };
// epoll_ctl: 0 or -errno (EBADF, EPERM for fds 0-2, EINVAL, EEXIST, ENOENT).
// Checks epfd and fd first (so the event need not be read when they fail).
i64 epoll_check(Process& m, u64 epfd, u64 fd);
i64 epoll_ctl(Process& m, u64 epfd, EpollOp op, u64 fd, const EpollItem& item);

// Writes up to max ready events at buffer: how many, or -EFAULT.
i64 epoll_collect(Process& m, Epoll& epoll, u64 buffer, u64 max);
// epoll_wait: events now, else (unless timeout_ns is 0) self blocks.
// -EBADF, -EINVAL for a fd that is no epoll or a max out of range.
SysResult epoll_wait(Process& m, Lwp& self, u64 epfd, u64 buffer, i64 max,
                     std::optional<u64> timeout_ns);

} // namespace crossrt::kernel::posix
