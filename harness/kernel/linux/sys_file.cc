// Files: Linux's O_ and F_ numbers and struct iovec around posix/fd.h and
// the virtual file set (posix/vfs.h). No host file is ever opened.
#include "kernel/linux/sys.h"
#include "kernel/posix/args.h"
#include "kernel/posix/fd.h"
#include "kernel/posix/socket_io.h"
#include "kernel/posix/tree_io.h"
#include "kernel/posix/vfs.h"

namespace crossrt::kernel::lnx {
namespace {

constexpr u64 kNonblock = 04000;   // O_NONBLOCK, the same on x86 and ARM
constexpr u64 kCloexec = 02000000; // O_CLOEXEC

// pread64/pwrite64's offset: a[3] on amd64; a[3], a[4] on 386; a[4], a[5]
// on arm (the pair starts at an even register).
i64 io_offset(const Process& m, const SyscallArgs& args) {
    switch (m.cpu().arch()) {
    case Arch::amd64:
        return static_cast<i64>(args.a[3]);
    case Arch::i386:
        return posix::pair_arg(args.a[3], args.a[4]);
    case Arch::arm:
        return posix::pair_arg(args.a[4], args.a[5]);
    }
    return -1;
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
    return posix::write(m, self, args.a[0], args.a[1], args.a[2]);
}

// writev(fd, iov, iovcnt): struct iovec is {base, length}, two words.
SysResult sys_writev(Process& m, Lwp& self, const SyscallArgs& args) {
    return posix::writev(m, self, args.a[0], args.a[1], args.a[2]);
}

SysResult sys_read(Process& m, Lwp& self, const SyscallArgs& args) {
    return posix::read(m, self, args.a[0], args.a[1], args.a[2]);
}

SysResult sys_close(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::close(m, args.a[0]));
}

// fcntl (and fcntl64): descriptor flags, status flags, F_DUPFD and the
// record locks. One run is one program, whose LWPs share one file table:
// a lock could only ever conflict with itself, so F_SETLK/F_SETLKW take
// it at once and F_GETLK says nobody holds one (F_UNLCK), with a note.
SysResult sys_fcntl(Process& m, Lwp&, const SyscallArgs& args) {
    u64 fd = args.a[0];
    switch (args.a[1]) {
    case 0:    // F_DUPFD
    case 1030: // F_DUPFD_CLOEXEC
        return SysResult::of(posix::dup(m, fd, args.a[2], args.a[1] == 1030));
    case 5:  // F_GETLK
    case 6:  // F_SETLK
    case 7:  // F_SETLKW
    case 12: // F_GETLK64
    case 13: // F_SETLK64
    case 14: // F_SETLKW64
    case 36: // F_OFD_GETLK
    case 37: // F_OFD_SETLK
    case 38: // F_OFD_SETLKW
    {
        if (!posix::is_open(m, fd))
            return SysResult::of(-err::BADF);
        m.note_once(args.nr, "fcntl record locks are granted at once and never enforced (one "
                             "program, one file table)");
        bool get = args.a[1] == 5 || args.a[1] == 12 || args.a[1] == 36;
        u16 unlocked = 2; // F_UNLCK, in struct flock's l_type (offset 0)
        if (get && !m.memory().write_value(args.a[2], unlocked))
            return SysResult::of(-err::FAULT);
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
            result.value |= 02000; // O_APPEND
    }
    return SysResult::of(result.value);
}

SysResult sys_ioctl(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::ioctl(m, args.a[0]));
}

SysResult sys_lseek(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(
        posix::seek(m, args.a[0], to_i64(args.a[1], m.word_size()), static_cast<int>(args.a[2])));
}

SysResult sys_readv(Process& m, Lwp& self, const SyscallArgs& args) {
    const posix::OpenFile* file = m.files().find(args.a[0]);
    if (file != nullptr && file->kind == posix::FileKind::socket)
        return posix::socket_readv(m, self, args.a[0], args.a[1], args.a[2]);
    if (file != nullptr && file->kind == posix::FileKind::tree)
        return SysResult::of(posix::each_iovec(m, args.a[1], args.a[2], [&](u64 at, u64 size) {
            return posix::read(m, self, args.a[0], at, size).value;
        }));
    // Anything else: the first segment only (a pipe may block; a short
    // read is allowed).
    posix::Iovec first;
    if (args.a[2] > 1024)
        return SysResult::of(-err::INVAL);
    if (i64 error = posix::first_iovec(m, args.a[1], args.a[2], first); error != 0)
        return SysResult::of(error);
    return first.length == 0 ? SysResult::of(0)
                             : posix::read(m, self, args.a[0], first.base, first.length);
}

SysResult sys_pread64(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::pread(m, args.a[0], args.a[1], args.a[2], io_offset(m, args)));
}

SysResult sys_pwrite64(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::pwrite(m, args.a[0], args.a[1], args.a[2], io_offset(m, args)));
}

SysResult sys_dup(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::dup(m, args.a[0], 0, false));
}

SysResult sys_dup2(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::dup_to(m, args.a[0], args.a[1], false));
}

SysResult sys_dup3(Process& m, Lwp&, const SyscallArgs& args) {
    if (args.a[0] == args.a[1] || (args.a[2] & ~kCloexec) != 0)
        return SysResult::of(-err::INVAL);
    return SysResult::of(posix::dup_to(m, args.a[0], args.a[1], (args.a[2] & kCloexec) != 0));
}

SysResult sys_fsync(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::fsync(m, args.a[0]));
}

// _llseek(fd, offset_high, offset_low, result, whence) on 386 and arm.
SysResult sys_llseek(Process& m, Lwp&, const SyscallArgs& args) {
    i64 offset = posix::pair_arg(args.a[2], args.a[1]);
    i64 result = posix::seek(m, args.a[0], offset, static_cast<int>(args.a[4]));
    if (result < 0)
        return SysResult::of(result);
    if (!m.memory().write_value(args.a[3], static_cast<u64>(result)))
        return SysResult::of(-err::FAULT);
    return SysResult::of(0);
}

// flock: as fcntl's locks, granted at once.
SysResult sys_flock(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::is_open(m, args.a[0]) ? 0 : -err::BADF);
}

// fadvise64 and friends: advice about a cache there is none of.
SysResult sys_fadvise(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::is_open(m, args.a[0]) ? 0 : -err::BADF);
}

// copy_file_range(fd_in, loff_t* off_in, fd_out, loff_t* off_out, len,
// flags): between regular files of the tree; anything else is EINVAL, on
// which programs copy by read and write (Go does).
SysResult sys_copy_file_range(Process& m, Lwp&, const SyscallArgs& args) {
    if (args.a[5] != 0)
        return SysResult::of(-err::INVAL);
    std::optional<u64> offsets[2];
    for (std::size_t i = 0; i < 2; ++i) {
        u64 pointer = args.a[i == 0 ? 1 : 3];
        u64 value = 0;
        if (pointer == 0)
            continue;
        if (!m.memory().read_value(pointer, value))
            return SysResult::of(-err::FAULT);
        if (static_cast<i64>(value) < 0)
            return SysResult::of(-err::INVAL);
        offsets[i] = value;
    }
    i64 copied = posix::copy_file_range(m, args.a[0], offsets[0], args.a[2], offsets[1],
                                        static_cast<u64>(to_i64(args.a[4], m.word_size())));
    for (std::size_t i = 0; i < 2 && copied > 0; ++i) {
        if (offsets[i] &&
            !m.memory().write_value(args.a[i == 0 ? 1 : 3], *offsets[i] + static_cast<u64>(copied)))
            return SysResult::of(-err::FAULT);
    }
    return SysResult::of(copied);
}

} // namespace crossrt::kernel::lnx
