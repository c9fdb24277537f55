// Files: Linux's O_ and F_ numbers and struct iovec around posix/fd.h and
// the virtual file set (posix/vfs.h). No host file is ever opened.
#include "kernel/linux/sys.h"
#include "kernel/posix/fd.h"
#include "kernel/posix/vfs.h"

namespace crossrt::kernel::lnx {
namespace {

constexpr u64 kNonblock = 04000;   // O_NONBLOCK, the same on x86 and ARM
constexpr u64 kCloexec = 02000000; // O_CLOEXEC

// open/openat on the virtual file set, with Linux's O_ flags.
i64 open_path(Process& m, u64 path_address, u64 flags) {
    constexpr u64 kAccessMode = 3;
    posix::OpenRequest request;
    if (!m.memory().read_string(path_address, request.path))
        return -err::FAULT;
    u64 access = flags & kAccessMode;
    request.read = access != 1;
    request.write = access != 0;
    request.nonblock = (flags & kNonblock) != 0;
    request.cloexec = (flags & kCloexec) != 0;
    request.linux_files = true;
    return posix::open_virtual(m, request);
}

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
    return SysResult::of(posix::write(m, self, args.a[0], args.a[1], args.a[2]));
}

// writev(fd, iov, iovcnt): struct iovec is {base, length}, two words.
SysResult sys_writev(Process& m, Lwp& self, const SyscallArgs& args) {
    u64 word = static_cast<u64>(m.word_size());
    i64 total = 0;
    for (u64 i = 0; i < std::min<u64>(args.a[2], 1024); ++i) {
        u64 base = 0, length = 0;
        if (!m.read_word(args.a[1] + i * 2 * word, base) ||
            !m.read_word(args.a[1] + i * 2 * word + word, length))
            return SysResult::of(total > 0 ? total : -err::FAULT);
        i64 n = posix::write(m, self, args.a[0], base, length);
        if (n < 0)
            return SysResult::of(total > 0 ? total : n);
        total += n;
    }
    return SysResult::of(total);
}

SysResult sys_read(Process& m, Lwp& self, const SyscallArgs& args) {
    return posix::read(m, self, args.a[0], args.a[1], args.a[2]);
}

SysResult sys_openat(Process& m, Lwp&, const SyscallArgs& args) {
    // Only absolute paths name anything, so the directory fd does not matter.
    return SysResult::of(open_path(m, args.a[1], args.a[2]));
}

SysResult sys_open(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(open_path(m, args.a[0], args.a[1]));
}

SysResult sys_close(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::close(m, args.a[0]));
}

SysResult sys_fcntl(Process& m, Lwp&, const SyscallArgs& args) {
    posix::FcntlCmd cmd = fcntl_cmd(args.a[1]);
    bool flag = cmd == posix::FcntlCmd::setfl ? (args.a[2] & kNonblock) != 0 : (args.a[2] & 1) != 0;
    posix::FcntlResult result = posix::fcntl(m, args.a[0], cmd, flag);
    if (result.value >= 0 && result.nonblock)
        result.value |= static_cast<i64>(kNonblock);
    return SysResult::of(result.value);
}

SysResult sys_ioctl(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::ioctl(m, args.a[0]));
}

SysResult sys_lseek(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(
        posix::seek(m, args.a[0], to_i64(args.a[1], m.word_size()), static_cast<int>(args.a[2])));
}

} // namespace crossrt::kernel::lnx
