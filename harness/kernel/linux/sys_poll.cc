// pipe, pipe2 and epoll with Linux's numbers and struct epoll_event around
// posix/pipe.h and posix/epoll.h: in-kernel buffers, level- and
// edge-triggered readiness, waits on the virtual clock.
#include "kernel/linux/sys.h"
#include "kernel/posix/epoll.h"
#include "kernel/posix/pipe.h"
#include "kernel/posix/poll.h"

namespace crossrt::kernel::lnx {
namespace {

constexpr u64 kNonblock = 04000;   // O_NONBLOCK, the same on x86 and ARM
constexpr u64 kCloexec = 02000000; // O_CLOEXEC = EPOLL_CLOEXEC
constexpr u32 kEpollIn = 0x001;
constexpr u32 kEpollOut = 0x004;
constexpr u32 kEpollErr = 0x008;
constexpr u32 kEpollHup = 0x010;
constexpr u32 kEpollRdhup = 0x2000;
constexpr u32 kEpollOneshot = 1u << 30;
constexpr u32 kEpollEt = 1u << 31;
constexpr u64 kCtlAdd = 1;
constexpr u64 kCtlDel = 2;
constexpr u64 kCtlMod = 3;

// struct epoll_event: packed (12 bytes) on x86, 16 bytes with data at 8 on ARM EABI.
u64 event_size(const Process& m) {
    return m.cpu().arch() == Arch::arm ? 16 : 12;
}
u64 data_offset(const Process& m) {
    return m.cpu().arch() == Arch::arm ? 8 : 4;
}

bool write_event(Process& m, u64 buffer, u64 index, const posix::EpollEvent& event) {
    u32 bits = (event.events.in ? kEpollIn : 0) | (event.events.out ? kEpollOut : 0) |
               (event.events.err ? kEpollErr : 0) | (event.events.hup ? kEpollHup : 0) |
               (event.events.rdhup ? kEpollRdhup : 0);
    u64 at = buffer + index * event_size(m);
    return m.memory().write_value(at, bits) &&
           m.memory().write_value(at + data_offset(m), event.data);
}

// struct pollfd's bits (asm-generic/poll.h; x86 and arm alike).
constexpr u16 kPollIn = 0x001;
constexpr u16 kPollOut = 0x004;
constexpr u16 kPollErr = 0x008;
constexpr u16 kPollHup = 0x010;
constexpr u16 kPollNval = 0x020;
constexpr u16 kPollRdnorm = 0x040;
constexpr u16 kPollWrnorm = 0x100;
constexpr u16 kPollRdhup = 0x2000;

// What poll(2) reports of what was asked: POLLERR and POLLHUP always.
u16 poll_revents(u16 requested, u32 ready) {
    if ((ready & posix::kReadyInvalid) != 0)
        return kPollNval;
    u16 revents = 0;
    if ((ready & posix::kReadyIn) != 0)
        revents |= requested & (kPollIn | kPollRdnorm);
    if ((ready & posix::kReadyOut) != 0)
        revents |= requested & (kPollOut | kPollWrnorm);
    if ((ready & posix::kReadyRdhup) != 0)
        revents |= requested & kPollRdhup;
    if ((ready & posix::kReadyErr) != 0)
        revents |= kPollErr;
    if ((ready & posix::kReadyHup) != 0)
        revents |= kPollHup;
    return revents;
}

// ppoll and ppoll_time64: a timespec (NULL: no timeout); a signal mask is
// not supported (ENOSYS, as epoll_pwait's).
SysResult ppoll_with(Process& m, Lwp& self, const SyscallArgs& args, bool time64) {
    if (args.a[3] != 0)
        return SysResult::of(m.unsupported(args, "ppoll (with a signal mask)"));
    std::optional<u64> timeout;
    if (args.a[2] != 0) {
        u64 ns = 0;
        if (!read_timespec(m, args.a[2], ns, time64))
            return SysResult::of(-err::FAULT);
        timeout = ns;
    }
    return posix::poll_files(m, self, args.a[0], args.a[1], timeout, poll_revents);
}

i64 make_pipe(Process& m, u64 fds_out, u64 flags) {
    if ((flags & ~(kNonblock | kCloexec)) != 0)
        return -err::INVAL;
    return posix::make_pipe(m, fds_out, (flags & kNonblock) != 0, (flags & kCloexec) != 0);
}

i64 make_epoll(Process& m, u64 flags) {
    if ((flags & ~kCloexec) != 0)
        return -err::INVAL;
    return posix::make_epoll(m, (flags & kCloexec) != 0, write_event);
}

// epoll_wait's int timeout in ms: -1 (any negative) waits for ever.
SysResult epoll_wait(Process& m, Lwp& self, const SyscallArgs& args) {
    i32 timeout_ms = static_cast<i32>(args.a[3]);
    std::optional<u64> timeout;
    if (timeout_ms >= 0)
        timeout = static_cast<u64>(timeout_ms) * 1'000'000;
    return posix::epoll_wait(m, self, args.a[0], args.a[1], static_cast<i32>(args.a[2]), timeout);
}

} // namespace

SysResult sys_pipe(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(make_pipe(m, args.a[0], 0));
}

SysResult sys_pipe2(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(make_pipe(m, args.a[0], args.a[1]));
}

SysResult sys_epoll_create(Process& m, Lwp&, const SyscallArgs& args) {
    if (static_cast<i32>(args.a[0]) <= 0)
        return SysResult::of(-err::INVAL);
    return SysResult::of(make_epoll(m, 0));
}

SysResult sys_epoll_create1(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(make_epoll(m, args.a[0]));
}

// epoll_ctl(epfd, op, fd, event)
SysResult sys_epoll_ctl(Process& m, Lwp&, const SyscallArgs& args) {
    if (i64 r = posix::epoll_check(m, args.a[0], args.a[2]); r < 0)
        return SysResult::of(r);
    u64 op = args.a[1];
    if (op != kCtlAdd && op != kCtlMod && op != kCtlDel)
        return SysResult::of(-err::INVAL);
    posix::EpollItem item;
    if (op != kCtlDel) {
        u32 events = 0;
        if (!m.memory().read_value(args.a[3], events) ||
            !m.memory().read_value(args.a[3] + data_offset(m), item.data))
            return SysResult::of(-err::FAULT);
        item.in = (events & kEpollIn) != 0;
        item.out = (events & kEpollOut) != 0;
        item.rdhup = (events & kEpollRdhup) != 0;
        item.edge = (events & kEpollEt) != 0;
        item.oneshot = (events & kEpollOneshot) != 0;
    }
    posix::EpollOp what = op == kCtlAdd   ? posix::EpollOp::add
                          : op == kCtlMod ? posix::EpollOp::modify
                                          : posix::EpollOp::remove;
    return SysResult::of(posix::epoll_ctl(m, args.a[0], what, args.a[2], item));
}

// poll(fds, nfds, timeout): an int timeout in ms, negative for none.
SysResult sys_poll(Process& m, Lwp& self, const SyscallArgs& args) {
    i32 timeout_ms = static_cast<i32>(args.a[2]);
    std::optional<u64> timeout;
    if (timeout_ms >= 0)
        timeout = static_cast<u64>(timeout_ms) * 1'000'000;
    return posix::poll_files(m, self, args.a[0], static_cast<u32>(args.a[1]), timeout,
                             poll_revents);
}

SysResult sys_ppoll(Process& m, Lwp& self, const SyscallArgs& args) {
    return ppoll_with(m, self, args, false);
}

SysResult sys_ppoll_time64(Process& m, Lwp& self, const SyscallArgs& args) {
    return ppoll_with(m, self, args, true);
}

SysResult sys_epoll_wait(Process& m, Lwp& self, const SyscallArgs& args) {
    return epoll_wait(m, self, args);
}

SysResult sys_epoll_pwait(Process& m, Lwp& self, const SyscallArgs& args) {
    if (args.a[4] != 0)
        return SysResult::of(m.unsupported(args, "epoll_pwait (with a signal mask)"));
    return epoll_wait(m, self, args);
}

} // namespace crossrt::kernel::lnx
