// Files: stdout and stderr captured as for Linux, stdin empty, in-kernel
// pipes (files.h); no host file is ever opened. The Linux handlers do the
// work; NetBSD's O_NONBLOCK (4) and O_CLOEXEC (0x400000) are translated.
#include "kernel/linux/sys.h"
#include "kernel/netbsd/sys.h"
#include "kernel/vfs.h"

namespace crossrt::kernel::nbsd {
namespace {

constexpr u64 kNonblock = 0x4;
constexpr u64 kCloexec = 0x400000;
constexpr u64 kLinuxNonblock = 0x800;
constexpr u64 kLinuxCloexec = 0x80000;
constexpr u64 kGetfl = 3;
constexpr u64 kSetfl = 4;

} // namespace

i64 errno_from_linux(i64 result) {
    return encode_errno(result);
}

SysResult from_linux(SysResult result) {
    return encode(result);
}

SysResult sys_write(Machine& m, Lwp& self, const SyscallArgs& args) {
    return from_linux(lnx::sys_write(m, self, args));
}

SysResult sys_read(Machine& m, Lwp& self, const SyscallArgs& args) {
    return from_linux(lnx::sys_read(m, self, args));
}

// open(path, flags, mode) on the virtual file set (vfs.h), NetBSD's O_ flags.
SysResult sys_open(Machine& m, Lwp&, const SyscallArgs& args) {
    constexpr u64 kAccessMode = 3;
    OpenRequest request;
    if (!m.memory().read_string(args.a[0], request.path))
        return SysResult::of(-err::FAULT);
    u64 access = args.a[1] & kAccessMode;
    request.read = access != 1;
    request.write = access != 0;
    request.nonblock = (args.a[1] & kNonblock) != 0;
    request.cloexec = (args.a[1] & kCloexec) != 0;
    return from_linux(SysResult::of(open_virtual(m, request)));
}

SysResult sys_close(Machine& m, Lwp& self, const SyscallArgs& args) {
    return from_linux(lnx::sys_close(m, self, args));
}

SysResult sys_fcntl(Machine& m, Lwp& self, const SyscallArgs& args) {
    SyscallArgs linux = args;
    if (args.a[1] == kSetfl)
        linux.a[2] = (args.a[2] & kNonblock) != 0 ? kLinuxNonblock : 0;
    SysResult result = from_linux(lnx::sys_fcntl(m, self, linux));
    if (args.a[1] == kGetfl && result.kind == SysResult::Kind::value && result.value >= 0) {
        u64 flags = static_cast<u64>(result.value);
        result.value =
            static_cast<i64>((flags & 3) | ((flags & kLinuxNonblock) != 0 ? kNonblock : 0));
    }
    return result;
}

SysResult sys_ioctl(Machine& m, Lwp& self, const SyscallArgs& args) {
    return from_linux(lnx::sys_ioctl(m, self, args));
}

SysResult sys_pipe2(Machine& m, Lwp& self, const SyscallArgs& args) {
    if ((args.a[1] & ~(kNonblock | kCloexec)) != 0)
        return SysResult::of(-err::INVAL);
    SyscallArgs linux = args;
    linux.a[1] = ((args.a[1] & kNonblock) != 0 ? kLinuxNonblock : 0) |
                 ((args.a[1] & kCloexec) != 0 ? kLinuxCloexec : 0);
    return from_linux(lnx::sys_pipe2(m, self, linux));
}

} // namespace crossrt::kernel::nbsd
