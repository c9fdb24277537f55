// Paths: NetBSD's O_ and AT_ numbers, struct stat (stat_netbsd.h) and
// struct dirent around the run's file system (posix/fs.h). Only the tree
// and the virtual file set are reachable; no host file outside the binds
// is ever opened, and nothing is ever written to the host.
#include "kernel/netbsd/stat_netbsd.h"
#include "kernel/netbsd/sys.h"
#include "kernel/posix/args.h"
#include "kernel/posix/fs.h"
#include "kernel/posix/process.h"

#include <cstring>

namespace crossrt::kernel::nbsd {
namespace {

// The errors here are the kernel's (Linux's numbers), which result() and
// encode_errno() turn into NetBSD's.

// sys/fcntl.h
constexpr u64 kAtEaccess = 0x100;
constexpr u64 kAtSymlinkNofollow = 0x200;
constexpr u64 kAtSymlinkFollow = 0x400;
constexpr u64 kAtRemoveDir = 0x800;

SysResult result(i64 value) {
    return SysResult::of(encode_errno(value));
}

// NetBSD's O_ flags (sys/fcntl.h).
posix::OpenFlags open_flags(u64 flags, u64 mode) {
    posix::OpenFlags open;
    u64 access = flags & 3;
    open.read = access != 1;
    open.write = access == 1 || access == 2;
    open.nonblock = (flags & 0x4) != 0;
    open.append = (flags & 0x8) != 0;
    open.nofollow = (flags & 0x100) != 0;
    open.create = (flags & 0x200) != 0;
    open.truncate = (flags & 0x400) != 0;
    open.exclusive = (flags & 0x800) != 0;
    open.directory = (flags & 0x200000) != 0;
    open.cloexec = (flags & 0x400000) != 0;
    open.mode = static_cast<u32>(mode);
    return open;
}

i64 open_at(Process& m, i64 dirfd, u64 path_address, u64 flags, u64 mode) {
    std::string path;
    if (i64 error = posix::read_path(m, path_address, path); error != 0)
        return error;
    return posix::open_at(m, dirfd, path, open_flags(flags, mode));
}

i64 stat_to(Process& m, i64 found, const posix::FileStat& stat, u64 buffer) {
    if (found != 0)
        return found;
    std::vector<u8> bytes = encode_stat(stat, m.cpu().arch());
    return m.memory().write(buffer, bytes.data(), bytes.size()) ? 0 : -kernel::err::FAULT;
}

i64 stat_path(Process& m, i64 dirfd, u64 path_address, bool follow, u64 buffer) {
    posix::FileStat stat;
    i64 found = posix::with_path(m, path_address, [&](const std::string& path) {
        return posix::stat_at(m, dirfd, path, follow, stat);
    });
    return stat_to(m, found, stat, buffer);
}

// struct dirent: d_fileno (64-bit), d_reclen, d_namlen, d_type, d_name and
// its NUL, the record 8-byte aligned (_DIRENT_RECLEN).
std::vector<u8> dirent(const posix::DirEntry& entry) {
    std::size_t length = (13 + entry.name.size() + 1 + 7) & ~std::size_t{7};
    std::vector<u8> bytes(length, 0);
    u64 ino = entry.ino;
    auto reclen = static_cast<u16>(length);
    auto namlen = static_cast<u16>(entry.name.size());
    std::memcpy(bytes.data(), &ino, 8);
    std::memcpy(bytes.data() + 8, &reclen, 2);
    std::memcpy(bytes.data() + 10, &namlen, 2);
    bytes[12] = static_cast<u8>(entry.type);
    std::memcpy(bytes.data() + 13, entry.name.data(), entry.name.size());
    return bytes;
}

bool own_ids(u64 uid, u64 gid) {
    auto own = [](u64 id) {
        auto value = static_cast<u32>(id);
        return value == posix::kGuestUid || value == ~0u;
    };
    return own(uid) && own(gid);
}

} // namespace

// An off_t argument at index: one word on amd64, two (lo, hi) elsewhere.
i64 off_arg(const Process& m, const SyscallArgs& args, std::size_t index) {
    if (m.word_size() == 8)
        return static_cast<i64>(args.a[index]);
    return static_cast<i64>((args.a[index + 1] << 32) | (args.a[index] & 0xffffffff));
}

SysResult sys_open(Process& m, Lwp&, const SyscallArgs& args) {
    return result(open_at(m, posix::kAtCwd, args.a[0], args.a[1], args.a[2]));
}

SysResult sys_openat(Process& m, Lwp&, const SyscallArgs& args) {
    return result(open_at(m, posix::int_arg(args.a[0]), args.a[1], args.a[2], args.a[3]));
}

SysResult sys_stat(Process& m, Lwp&, const SyscallArgs& args) {
    return result(stat_path(m, posix::kAtCwd, args.a[0], true, args.a[1]));
}

SysResult sys_lstat(Process& m, Lwp&, const SyscallArgs& args) {
    return result(stat_path(m, posix::kAtCwd, args.a[0], false, args.a[1]));
}

SysResult sys_fstat(Process& m, Lwp&, const SyscallArgs& args) {
    posix::FileStat stat;
    i64 found = posix::stat_fd(m, args.a[0], stat);
    return result(stat_to(m, found, stat, args.a[1]));
}

SysResult sys_fstatat(Process& m, Lwp&, const SyscallArgs& args) {
    bool follow = (args.a[3] & kAtSymlinkNofollow) == 0;
    return result(stat_path(m, posix::int_arg(args.a[0]), args.a[1], follow, args.a[2]));
}

SysResult sys_getdents(Process& m, Lwp&, const SyscallArgs& args) {
    return result(
        posix::read_directory(m, args.a[0], args.a[1], std::min<u64>(args.a[2], 1 << 20), dirent));
}

SysResult sys_mkdir(Process& m, Lwp&, const SyscallArgs& args) {
    return result(posix::with_path(m, args.a[0], [&](const std::string& path) {
        return posix::mkdir_at(m, posix::kAtCwd, path, static_cast<u32>(args.a[1]));
    }));
}

SysResult sys_mkdirat(Process& m, Lwp&, const SyscallArgs& args) {
    return result(posix::with_path(m, args.a[1], [&](const std::string& path) {
        return posix::mkdir_at(m, posix::int_arg(args.a[0]), path, static_cast<u32>(args.a[2]));
    }));
}

SysResult sys_rmdir(Process& m, Lwp&, const SyscallArgs& args) {
    return result(posix::with_path(m, args.a[0], [&](const std::string& path) {
        return posix::unlink_at(m, posix::kAtCwd, path, true);
    }));
}

SysResult sys_unlink(Process& m, Lwp&, const SyscallArgs& args) {
    return result(posix::with_path(m, args.a[0], [&](const std::string& path) {
        return posix::unlink_at(m, posix::kAtCwd, path, false);
    }));
}

SysResult sys_unlinkat(Process& m, Lwp&, const SyscallArgs& args) {
    if ((args.a[2] & ~kAtRemoveDir) != 0)
        return result(-kernel::err::INVAL);
    return result(posix::with_path(m, args.a[1], [&](const std::string& path) {
        return posix::unlink_at(m, posix::int_arg(args.a[0]), path,
                                (args.a[2] & kAtRemoveDir) != 0);
    }));
}

SysResult sys_rename(Process& m, Lwp&, const SyscallArgs& args) {
    return result(posix::with_paths(
        m, args.a[0], args.a[1], [&](const std::string& from, const std::string& to) {
            return posix::rename_at(m, posix::kAtCwd, from, posix::kAtCwd, to);
        }));
}

SysResult sys_renameat(Process& m, Lwp&, const SyscallArgs& args) {
    return result(posix::with_paths(m, args.a[1], args.a[3],
                                    [&](const std::string& from, const std::string& to) {
                                        return posix::rename_at(m, posix::int_arg(args.a[0]), from,
                                                                posix::int_arg(args.a[2]), to);
                                    }));
}

SysResult sys_link(Process& m, Lwp&, const SyscallArgs& args) {
    return result(posix::with_paths(
        m, args.a[0], args.a[1], [&](const std::string& from, const std::string& to) {
            return posix::link_at(m, posix::kAtCwd, from, posix::kAtCwd, to, false);
        }));
}

SysResult sys_linkat(Process& m, Lwp&, const SyscallArgs& args) {
    return result(posix::with_paths(
        m, args.a[1], args.a[3], [&](const std::string& from, const std::string& to) {
            return posix::link_at(m, posix::int_arg(args.a[0]), from, posix::int_arg(args.a[2]), to,
                                  (args.a[4] & kAtSymlinkFollow) != 0);
        }));
}

SysResult sys_symlink(Process& m, Lwp&, const SyscallArgs& args) {
    return result(posix::with_paths(m, args.a[0], args.a[1],
                                    [&](const std::string& target, const std::string& path) {
                                        return posix::symlink_at(m, target, posix::kAtCwd, path);
                                    }));
}

SysResult sys_symlinkat(Process& m, Lwp&, const SyscallArgs& args) {
    return result(posix::with_paths(
        m, args.a[0], args.a[2], [&](const std::string& target, const std::string& path) {
            return posix::symlink_at(m, target, posix::int_arg(args.a[1]), path);
        }));
}

SysResult sys_readlink(Process& m, Lwp&, const SyscallArgs& args) {
    return result(posix::readlink_to_guest(m, posix::kAtCwd, args.a[0], args.a[1], args.a[2]));
}

SysResult sys_readlinkat(Process& m, Lwp&, const SyscallArgs& args) {
    return result(
        posix::readlink_to_guest(m, posix::int_arg(args.a[0]), args.a[1], args.a[2], args.a[3]));
}

// __getcwd(buf, length): the length written, its NUL included.
SysResult sys_getcwd(Process& m, Lwp&, const SyscallArgs& args) {
    std::string path = posix::cwd_path(m);
    if (path.front() != '/')
        return result(-kernel::err::NOENT);
    if (path.size() + 1 > args.a[1])
        return result(-kernel::err::RANGE);
    if (!m.memory().write(args.a[0], path.c_str(), path.size() + 1))
        return result(-kernel::err::FAULT);
    return result(static_cast<i64>(path.size() + 1));
}

SysResult sys_chdir(Process& m, Lwp&, const SyscallArgs& args) {
    return result(posix::with_path(
        m, args.a[0], [&](const std::string& path) { return posix::chdir_path(m, path); }));
}

SysResult sys_fchdir(Process& m, Lwp&, const SyscallArgs& args) {
    return result(posix::chdir_fd(m, args.a[0]));
}

SysResult sys_access(Process& m, Lwp&, const SyscallArgs& args) {
    return result(posix::with_path(m, args.a[0], [&](const std::string& path) {
        return posix::access_at(m, posix::kAtCwd, path, static_cast<u32>(args.a[1]), true);
    }));
}

SysResult sys_faccessat(Process& m, Lwp&, const SyscallArgs& args) {
    if ((args.a[3] & ~(kAtEaccess | kAtSymlinkNofollow)) != 0)
        return result(-kernel::err::INVAL);
    bool follow = (args.a[3] & kAtSymlinkNofollow) == 0;
    return result(posix::with_path(m, args.a[1], [&](const std::string& path) {
        return posix::access_at(m, posix::int_arg(args.a[0]), path, static_cast<u32>(args.a[2]),
                                follow);
    }));
}

SysResult sys_chmod(Process& m, Lwp&, const SyscallArgs& args) {
    return result(posix::with_path(m, args.a[0], [&](const std::string& path) {
        return posix::chmod_at(m, posix::kAtCwd, path, static_cast<u32>(args.a[1]));
    }));
}

SysResult sys_fchmod(Process& m, Lwp&, const SyscallArgs& args) {
    return result(posix::chmod_fd(m, args.a[0], static_cast<u32>(args.a[1])));
}

SysResult sys_fchmodat(Process& m, Lwp&, const SyscallArgs& args) {
    return result(posix::with_path(m, args.a[1], [&](const std::string& path) {
        return posix::chmod_at(m, posix::int_arg(args.a[0]), path, static_cast<u32>(args.a[2]));
    }));
}

// chown, lchown, fchownat: every file is the guest user's; giving one to
// another user is EPERM, as for an unprivileged user.
SysResult sys_chown(Process& m, Lwp&, const SyscallArgs& args) {
    posix::FileStat stat;
    i64 found = posix::with_path(m, args.a[0], [&](const std::string& path) {
        return posix::stat_at(m, posix::kAtCwd, path, true, stat);
    });
    return result(found != 0 ? found : own_ids(args.a[1], args.a[2]) ? 0 : -kernel::err::PERM);
}

SysResult sys_fchown(Process& m, Lwp&, const SyscallArgs& args) {
    posix::FileStat stat;
    i64 found = posix::stat_fd(m, args.a[0], stat);
    return result(found != 0 ? found : own_ids(args.a[1], args.a[2]) ? 0 : -kernel::err::PERM);
}

// truncate(path, PAD, length), ftruncate(fd, PAD, length).
SysResult sys_truncate(Process& m, Lwp&, const SyscallArgs& args) {
    i64 length = off_arg(m, args, 2);
    return result(posix::with_path(m, args.a[0], [&](const std::string& path) {
        return posix::truncate_at(m, posix::kAtCwd, path, length);
    }));
}

SysResult sys_ftruncate(Process& m, Lwp&, const SyscallArgs& args) {
    return result(posix::truncate_fd(m, args.a[0], off_arg(m, args, 2)));
}

// utimensat(fd, path, times, flag) and the utimes family: the times
// become now on the virtual clock.
SysResult sys_utimensat(Process& m, Lwp&, const SyscallArgs& args) {
    bool follow = (args.a[3] & kAtSymlinkNofollow) == 0;
    return result(posix::with_path(m, args.a[1], [&](const std::string& path) {
        return posix::touch_at(m, posix::int_arg(args.a[0]), path, follow);
    }));
}

SysResult sys_utimes(Process& m, Lwp&, const SyscallArgs& args) {
    return result(posix::with_path(m, args.a[0], [&](const std::string& path) {
        return posix::touch_at(m, posix::kAtCwd, path, true);
    }));
}

SysResult sys_lutimes(Process& m, Lwp&, const SyscallArgs& args) {
    return result(posix::with_path(m, args.a[0], [&](const std::string& path) {
        return posix::touch_at(m, posix::kAtCwd, path, false);
    }));
}

SysResult sys_futimes(Process& m, Lwp&, const SyscallArgs& args) {
    posix::FileStat stat;
    return result(posix::stat_fd(m, args.a[0], stat));
}

SysResult sys_umask(Process& m, Lwp&, const SyscallArgs& args) {
    return result(posix::set_umask(m, static_cast<u32>(args.a[0])));
}

} // namespace crossrt::kernel::nbsd
