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

SysResult open_at(Process& m, Lwp& self, i64 dirfd, u64 path_address, u64 flags, u64 mode) {
    std::string path;
    if (i64 error = posix::read_path(m, path_address, path); error != 0)
        return result(error);
    return encode(posix::open_at(m, self, dirfd, path, open_flags(flags, mode)));
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

// A uid_t or gid_t argument: -1 keeps, else the id.
i64 owner_arg(u64 value) {
    auto id = static_cast<u32>(value);
    return id == ~0u ? -1 : static_cast<i64>(id);
}

} // namespace

// An off_t argument at index: one word on amd64, two (lo, hi) elsewhere.
i64 off_arg(const Process& m, const SyscallArgs& args, std::size_t index) {
    if (m.word_size() == 8)
        return static_cast<i64>(args.a[index]);
    return static_cast<i64>((args.a[index + 1] << 32) | (args.a[index] & 0xffffffff));
}

SysResult sys_open(Process& m, Lwp& self, const SyscallArgs& args) {
    return open_at(m, self, posix::kAtCwd, args.a[0], args.a[1], args.a[2]);
}

SysResult sys_openat(Process& m, Lwp& self, const SyscallArgs& args) {
    return open_at(m, self, posix::int_arg(args.a[0]), args.a[1], args.a[2], args.a[3]);
}

// mkfifo(path, mode), mkfifoat(fd, path, mode).
SysResult sys_mkfifo(Process& m, Lwp&, const SyscallArgs& args) {
    return result(posix::with_path(m, args.a[0], [&](const std::string& path) {
        return posix::mknod_at(m, posix::kAtCwd, path, posix::NodeKind::fifo,
                               static_cast<u32>(args.a[1]));
    }));
}

SysResult sys_mkfifoat(Process& m, Lwp&, const SyscallArgs& args) {
    return result(posix::with_path(m, args.a[1], [&](const std::string& path) {
        return posix::mknod_at(m, posix::int_arg(args.a[0]), path, posix::NodeKind::fifo,
                               static_cast<u32>(args.a[2]));
    }));
}

// __mknod50(path, mode, dev), mknodat(fd, path, mode, PAD, dev).
SysResult sys_mknod(Process& m, Lwp&, const SyscallArgs& args) {
    auto mode = static_cast<u32>(args.a[1]);
    return result(posix::with_path(m, args.a[0], [&](const std::string& path) {
        return posix::mknod_at(m, posix::kAtCwd, path, posix::node_kind(mode), mode);
    }));
}

SysResult sys_mknodat(Process& m, Lwp&, const SyscallArgs& args) {
    auto mode = static_cast<u32>(args.a[2]);
    return result(posix::with_path(m, args.a[1], [&](const std::string& path) {
        return posix::mknod_at(m, posix::int_arg(args.a[0]), path, posix::node_kind(mode), mode);
    }));
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
    return result(posix::with_path(m, args.a[0], [&](const std::string& path) {
        return posix::chown_at(m, posix::kAtCwd, path, true, owner_arg(args.a[1]),
                               owner_arg(args.a[2]));
    }));
}

SysResult sys_lchown(Process& m, Lwp&, const SyscallArgs& args) {
    return result(posix::with_path(m, args.a[0], [&](const std::string& path) {
        return posix::chown_at(m, posix::kAtCwd, path, false, owner_arg(args.a[1]),
                               owner_arg(args.a[2]));
    }));
}

SysResult sys_fchown(Process& m, Lwp&, const SyscallArgs& args) {
    return result(posix::chown_fd(m, args.a[0], owner_arg(args.a[1]), owner_arg(args.a[2])));
}

// fchownat(fd, path, uid, gid, flag)
SysResult sys_fchownat(Process& m, Lwp&, const SyscallArgs& args) {
    bool follow = (args.a[4] & kAtSymlinkNofollow) == 0;
    return result(posix::with_path(m, args.a[1], [&](const std::string& path) {
        return posix::chown_at(m, posix::int_arg(args.a[0]), path, follow, owner_arg(args.a[2]),
                               owner_arg(args.a[3]));
    }));
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

namespace {

constexpr i64 kUtimeNow = (1 << 30) - 1;
constexpr i64 kUtimeOmit = (1 << 30) - 2;

// times[2] of utimensat and futimens (struct timespec: UTIME_NOW and
// UTIME_OMIT) or of the utimes family (struct timeval): a 64-bit tv_sec,
// then a long (amd64) or an int (386: 12 bytes; arm pads it to 16). NULL
// is now for both.
i64 read_times(Process& m, u64 times, bool timeval, posix::FileTime (&out)[2]) {
    out[0] = out[1] = posix::FileTime{};
    if (times == 0)
        return 0;
    u64 stride = m.cpu().arch() == Arch::i386 ? 12 : 16;
    for (u64 i = 0; i < 2; ++i) {
        i64 seconds = 0;
        i64 fraction = 0;
        i32 fraction32 = 0;
        u64 at = times + i * stride;
        bool read = m.memory().read_value(at, seconds) &&
                    (m.word_size() == 8 ? m.memory().read_value(at + 8, fraction)
                                        : m.memory().read_value(at + 8, fraction32));
        if (!read)
            return -kernel::err::FAULT;
        if (m.word_size() != 8)
            fraction = fraction32;
        if (!timeval && fraction == kUtimeNow) {
            out[i] = posix::FileTime{posix::FileTime::Kind::now};
            continue;
        }
        if (!timeval && fraction == kUtimeOmit) {
            out[i] = posix::FileTime{posix::FileTime::Kind::omit};
            continue;
        }
        i64 unit = timeval ? 1000 : 1;
        constexpr i64 kLimit = 9'000'000'000; // seconds: about 285 years either way
        if (fraction < 0 || fraction * unit >= static_cast<i64>(kNsPerSecond) || seconds > kLimit ||
            seconds < -kLimit)
            return -kernel::err::INVAL;
        out[i] = {posix::FileTime::Kind::set,
                  seconds * static_cast<i64>(kNsPerSecond) + fraction * unit};
    }
    return 0;
}

i64 set_path_times(Process& m, i64 dirfd, u64 path_address, u64 times, bool timeval, bool follow) {
    posix::FileTime parsed[2];
    if (i64 bad = read_times(m, times, timeval, parsed); bad != 0)
        return bad;
    return posix::with_path(m, path_address, [&](const std::string& path) {
        return posix::set_times_at(m, dirfd, path, follow, parsed[0], parsed[1]);
    });
}

i64 set_fd_times(Process& m, u64 fd, u64 times, bool timeval) {
    posix::FileTime parsed[2];
    if (i64 bad = read_times(m, times, timeval, parsed); bad != 0)
        return bad;
    return posix::set_times_fd(m, fd, parsed[0], parsed[1]);
}

} // namespace

// utimensat(fd, path, times, flag)
SysResult sys_utimensat(Process& m, Lwp&, const SyscallArgs& args) {
    bool follow = (args.a[3] & kAtSymlinkNofollow) == 0;
    return result(
        set_path_times(m, posix::int_arg(args.a[0]), args.a[1], args.a[2], false, follow));
}

SysResult sys_futimens(Process& m, Lwp&, const SyscallArgs& args) {
    return result(set_fd_times(m, args.a[0], args.a[1], false));
}

SysResult sys_utimes(Process& m, Lwp&, const SyscallArgs& args) {
    return result(set_path_times(m, posix::kAtCwd, args.a[0], args.a[1], true, true));
}

SysResult sys_lutimes(Process& m, Lwp&, const SyscallArgs& args) {
    return result(set_path_times(m, posix::kAtCwd, args.a[0], args.a[1], true, false));
}

SysResult sys_futimes(Process& m, Lwp&, const SyscallArgs& args) {
    return result(set_fd_times(m, args.a[0], args.a[1], true));
}

SysResult sys_umask(Process& m, Lwp&, const SyscallArgs& args) {
    return result(posix::set_umask(m, static_cast<u32>(args.a[0])));
}

} // namespace crossrt::kernel::nbsd
