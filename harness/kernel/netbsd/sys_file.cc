// Files: NetBSD's O_ and F_ numbers around posix/fd.h, posix/pipe.h and the
// virtual file set (posix/vfs.h): stdout and stderr captured, stdin empty,
// in-kernel pipes; no host file is ever opened.
#include "kernel/netbsd/sys.h"
#include "kernel/posix/fd.h"
#include "kernel/posix/pipe.h"
#include "kernel/posix/vfs.h"

namespace crossrt::kernel::nbsd {
namespace {

constexpr u64 kNonblock = 0x4;
constexpr u64 kCloexec = 0x400000;
constexpr u64 kAccessMode = 3;

posix::FcntlCmd fcntl_cmd(u64 cmd) {
    switch (cmd) {
    case 1:
        return posix::FcntlCmd::getfd;
    case 2:
        return posix::FcntlCmd::setfd;
    case 3:
        return posix::FcntlCmd::getfl;
    case 4:
        return posix::FcntlCmd::setfl;
    default:
        return posix::FcntlCmd::other;
    }
}

} // namespace

SysResult sys_write(Process& m, Lwp& self, const SyscallArgs& args) {
    return SysResult::of(encode_errno(posix::write(m, self, args.a[0], args.a[1], args.a[2])));
}

SysResult sys_read(Process& m, Lwp& self, const SyscallArgs& args) {
    return encode(posix::read(m, self, args.a[0], args.a[1], args.a[2]));
}

// open(path, flags, mode) on the virtual file set, NetBSD's O_ flags.
SysResult sys_open(Process& m, Lwp&, const SyscallArgs& args) {
    posix::OpenRequest request;
    if (!m.memory().read_string(args.a[0], request.path))
        return SysResult::of(-err::FAULT);
    u64 access = args.a[1] & kAccessMode;
    request.read = access != 1;
    request.write = access != 0;
    request.nonblock = (args.a[1] & kNonblock) != 0;
    request.cloexec = (args.a[1] & kCloexec) != 0;
    return SysResult::of(encode_errno(posix::open_virtual(m, request)));
}

SysResult sys_close(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(encode_errno(posix::close(m, args.a[0])));
}

SysResult sys_fcntl(Process& m, Lwp&, const SyscallArgs& args) {
    posix::FcntlCmd cmd = fcntl_cmd(args.a[1]);
    bool flag = cmd == posix::FcntlCmd::setfl ? (args.a[2] & kNonblock) != 0 : (args.a[2] & 1) != 0;
    posix::FcntlResult result = posix::fcntl(m, args.a[0], cmd, flag);
    if (result.value >= 0 && result.nonblock)
        result.value |= static_cast<i64>(kNonblock);
    return SysResult::of(encode_errno(result.value));
}

SysResult sys_ioctl(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(encode_errno(posix::ioctl(m, args.a[0])));
}

// pipe2(fds, flags): int fds[2], as on every arch.
SysResult sys_pipe2(Process& m, Lwp&, const SyscallArgs& args) {
    if ((args.a[1] & ~(kNonblock | kCloexec)) != 0)
        return SysResult::of(-err::INVAL);
    posix::PipeFds fds =
        posix::make_pipe(m, (args.a[1] & kNonblock) != 0, (args.a[1] & kCloexec) != 0);
    if (!m.memory().write_value(args.a[0], static_cast<u32>(fds.read)) ||
        !m.memory().write_value(args.a[0] + 4, static_cast<u32>(fds.write))) {
        posix::unmake_pipe(m, fds);
        return SysResult::of(-err::FAULT);
    }
    return SysResult::of(0);
}

} // namespace crossrt::kernel::nbsd
