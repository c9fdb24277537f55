// Files: NetBSD's O_ and F_ numbers and struct iovec around posix/fd.h and
// posix/pipe.h: stdout and stderr captured, stdin empty, in-kernel pipes,
// the files of the run's tree (the paths are sys_path.cc's).
#include "kernel/netbsd/sys.h"
#include "kernel/posix/args.h"
#include "kernel/posix/fd.h"
#include "kernel/posix/pipe.h"
#include "kernel/posix/socket_io.h"
#include "kernel/posix/vfs.h"

namespace crossrt::kernel::nbsd {
namespace {

constexpr u64 kNonblock = 0x4;
constexpr u64 kCloexec = 0x400000;

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
    return encode(posix::write(m, self, args.a[0], args.a[1], args.a[2]));
}

SysResult sys_read(Process& m, Lwp& self, const SyscallArgs& args) {
    return encode(posix::read(m, self, args.a[0], args.a[1], args.a[2]));
}

SysResult sys_close(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(encode_errno(posix::close(m, args.a[0])));
}

// fcntl: descriptor and status flags, F_DUPFD[_CLOEXEC], and the record
// locks: granted at once and never enforced (one program, one file table),
// with a note; F_GETLK says nobody holds one.
SysResult sys_fcntl(Process& m, Lwp&, const SyscallArgs& args) {
    u64 fd = args.a[0];
    switch (args.a[1]) {
    case 0:  // F_DUPFD
    case 12: // F_DUPFD_CLOEXEC
        return SysResult::of(encode_errno(posix::dup(m, fd, args.a[2], args.a[1] == 12)));
    case 7: // F_GETLK
    case 8: // F_SETLK
    case 9: // F_SETLKW
    {
        if (!posix::is_open(m, fd))
            return SysResult::of(encode_errno(-err::BADF));
        m.note_once(args.nr, "fcntl record locks are granted at once and never enforced (one "
                             "program, one file table)");
        // struct flock: l_start, l_len (off_t), l_pid, then l_type.
        u16 unlocked = 2; // F_UNLCK
        if (args.a[1] == 7 && !m.memory().write_value(args.a[2] + 20, unlocked))
            return SysResult::of(encode_errno(-err::FAULT));
        return SysResult::of(0);
    }
    default:
        break;
    }
    posix::FcntlCmd cmd = fcntl_cmd(args.a[1]);
    bool flag = cmd == posix::FcntlCmd::setfl ? (args.a[2] & kNonblock) != 0 : (args.a[2] & 1) != 0;
    posix::FcntlResult result = posix::fcntl(m, fd, cmd, flag);
    if (result.value >= 0 && result.nonblock)
        result.value |= static_cast<i64>(kNonblock);
    if (result.value >= 0 && cmd == posix::FcntlCmd::getfl) {
        const posix::OpenFile* file = m.files().find(fd);
        if (file != nullptr && file->kind == posix::FileKind::tree && file->tree->append)
            result.value |= 0x8; // O_APPEND
    }
    return SysResult::of(encode_errno(result.value));
}

SysResult sys_ioctl(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(encode_errno(posix::ioctl(m, args.a[0])));
}

// pipe2(fds, flags): int fds[2], as on every arch.
SysResult sys_pipe2(Process& m, Lwp&, const SyscallArgs& args) {
    if ((args.a[1] & ~(kNonblock | kCloexec)) != 0)
        return SysResult::of(-err::INVAL);
    return SysResult::of(encode_errno(
        posix::make_pipe(m, args.a[0], (args.a[1] & kNonblock) != 0, (args.a[1] & kCloexec) != 0)));
}

SysResult sys_writev(Process& m, Lwp& self, const SyscallArgs& args) {
    return encode(posix::writev(m, self, args.a[0], args.a[1], args.a[2]));
}

SysResult sys_readv(Process& m, Lwp& self, const SyscallArgs& args) {
    const posix::OpenFile* file = m.files().find(args.a[0]);
    if (file != nullptr && file->kind == posix::FileKind::socket)
        return encode(posix::socket_readv(m, self, args.a[0], args.a[1], args.a[2]));
    if (file != nullptr && file->kind == posix::FileKind::tree)
        return SysResult::of(
            encode_errno(posix::each_iovec(m, args.a[1], args.a[2], [&](u64 at, u64 size) {
                return posix::read(m, self, args.a[0], at, size).value;
            })));
    // Anything else: the first segment only (a pipe may block; a short
    // read is allowed).
    posix::Iovec first;
    if (i64 error = posix::first_iovec(m, args.a[1], args.a[2], first); error != 0)
        return SysResult::of(encode_errno(error));
    return first.length == 0 ? SysResult::of(0)
                             : encode(posix::read(m, self, args.a[0], first.base, first.length));
}

// pread(fd, buf, nbyte, PAD, offset), pwrite the same.
SysResult sys_pread(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(
        encode_errno(posix::pread(m, args.a[0], args.a[1], args.a[2], off_arg(m, args, 4))));
}

SysResult sys_pwrite(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(
        encode_errno(posix::pwrite(m, args.a[0], args.a[1], args.a[2], off_arg(m, args, 4))));
}

// lseek(fd, PAD, offset, whence): an off_t result, in two registers on the
// 32-bit arches (the second holds the high word).
SysResult sys_lseek(Process& m, Lwp&, const SyscallArgs& args) {
    std::size_t whence = m.word_size() == 8 ? 3 : 4;
    i64 offset = posix::seek(m, args.a[0], off_arg(m, args, 2), static_cast<int>(args.a[whence]));
    if (offset >= 0 && m.word_size() == 4) {
        netbsd_abi(m).set_second_result(m.uc(), static_cast<u64>(offset) >> 32);
        return SysResult::of(offset & 0xffffffff);
    }
    return SysResult::of(encode_errno(offset));
}

SysResult sys_dup(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(encode_errno(posix::dup(m, args.a[0], 0, false)));
}

SysResult sys_dup2(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(encode_errno(posix::dup_to(m, args.a[0], args.a[1], false)));
}

// dup3(from, to, flags): O_CLOEXEC (and O_NOSIGPIPE, not kept).
SysResult sys_dup3(Process& m, Lwp&, const SyscallArgs& args) {
    if ((args.a[2] & ~(kCloexec | 0x1000000)) != 0)
        return SysResult::of(encode_errno(-err::INVAL));
    return SysResult::of(
        encode_errno(posix::dup_to(m, args.a[0], args.a[1], (args.a[2] & kCloexec) != 0)));
}

SysResult sys_fsync(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(encode_errno(posix::fsync(m, args.a[0])));
}

SysResult sys_flock(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(encode_errno(posix::is_open(m, args.a[0]) ? 0 : -err::BADF));
}

} // namespace crossrt::kernel::nbsd
