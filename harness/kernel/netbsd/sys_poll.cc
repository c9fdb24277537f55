// poll with NetBSD's struct pollfd bits (sys/poll.h: POLLWRNORM is POLLOUT,
// no POLLRDHUP) around posix/poll.h: every fd's readiness, waits on the
// virtual clock.
#include "kernel/netbsd/sys.h"
#include "kernel/posix/poll.h"

namespace crossrt::kernel::nbsd {
namespace {

constexpr u16 kPollIn = 0x0001;
constexpr u16 kPollOut = 0x0004; // POLLWRNORM too
constexpr u16 kPollErr = 0x0008;
constexpr u16 kPollHup = 0x0010;
constexpr u16 kPollNval = 0x0020;
constexpr u16 kPollRdnorm = 0x0040;

// What poll reports of what was asked: POLLERR and POLLHUP always; a
// socket that can receive no more is readable (its read gives EOF).
u16 poll_revents(u16 requested, u32 ready) {
    if ((ready & posix::kReadyInvalid) != 0)
        return kPollNval;
    u16 revents = 0;
    if ((ready & (posix::kReadyIn | posix::kReadyRdhup)) != 0)
        revents |= requested & (kPollIn | kPollRdnorm);
    if ((ready & posix::kReadyOut) != 0)
        revents |= requested & kPollOut;
    if ((ready & posix::kReadyErr) != 0)
        revents |= kPollErr;
    if ((ready & posix::kReadyHup) != 0)
        revents |= kPollHup;
    return revents;
}

} // namespace

// poll(fds, nfds, timeout): an int timeout in ms, negative for none.
SysResult sys_poll(Process& m, Lwp& self, const SyscallArgs& args) {
    i32 timeout_ms = static_cast<i32>(args.a[2]);
    std::optional<u64> timeout;
    if (timeout_ms >= 0)
        timeout = static_cast<u64>(timeout_ms) * 1'000'000;
    return encode(
        posix::poll_files(m, self, args.a[0], static_cast<u32>(args.a[1]), timeout, poll_revents));
}

// __pollts50(fds, nfds, ts, mask): a timespec (NULL: none); a signal mask
// is not supported (ENOSYS).
SysResult sys_pollts(Process& m, Lwp& self, const SyscallArgs& args) {
    if (args.a[3] != 0)
        return SysResult::of(m.unsupported(args, "__pollts50 (with a signal mask)"));
    std::optional<u64> timeout;
    if (args.a[2] != 0) {
        u64 ns = 0;
        if (!read_timespec(m, args.a[2], ns))
            return SysResult::of(encode_errno(-kernel::err::FAULT));
        timeout = ns;
    }
    return encode(
        posix::poll_files(m, self, args.a[0], static_cast<u32>(args.a[1]), timeout, poll_revents));
}

} // namespace crossrt::kernel::nbsd
