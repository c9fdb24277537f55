// Paths: Linux's open flags, AT_ flags, struct stat/stat64/statx and
// linux_dirent64 around the run's file system (posix/fs.h). Only the tree
// and the virtual file set are reachable; no host file outside the binds
// is ever opened, and nothing is ever written to the host.
#include "kernel/linux/stat_linux.h"
#include "kernel/linux/sys.h"
#include "kernel/posix/args.h"
#include "kernel/posix/fs.h"
#include "kernel/posix/process.h"

#include <cstring>

namespace crossrt::kernel::lnx {
namespace {

constexpr u64 kAtSymlinkNofollow = 0x100;
constexpr u64 kAtRemoveDir = 0x200;
constexpr u64 kAtSymlinkFollow = 0x400;
constexpr u64 kAtEmptyPath = 0x1000;

// Linux's O_ flags: the same numbers on x86 and ARM but for O_DIRECTORY
// and O_NOFOLLOW (asm-generic/fcntl.h, arch/arm/include/uapi/asm/fcntl.h).
posix::OpenFlags open_flags(const Process& m, u64 flags, u64 mode) {
    bool arm = m.cpu().arch() == Arch::arm;
    u64 directory = arm ? 040000 : 0200000;
    u64 nofollow = arm ? 0100000 : 0400000;
    posix::OpenFlags open;
    u64 access = flags & 3;
    open.path_only = (flags & 010000000) != 0; // O_PATH
    open.read = access != 1 && !open.path_only;
    open.write = (access == 1 || access == 2) && !open.path_only;
    open.create = (flags & 0100) != 0;
    open.exclusive = (flags & 0200) != 0;
    open.truncate = (flags & 01000) != 0;
    open.append = (flags & 02000) != 0;
    open.nonblock = (flags & 04000) != 0;
    open.directory = (flags & directory) != 0;
    open.nofollow = (flags & nofollow) != 0;
    open.cloexec = (flags & 02000000) != 0;
    open.mode = static_cast<u32>(mode);
    return open;
}

SysResult open_at(Process& m, Lwp& self, i64 dirfd, u64 path_address, u64 flags, u64 mode) {
    std::string path;
    if (i64 error = posix::read_path(m, path_address, path); error != 0)
        return SysResult::of(error);
    return posix::open_at(m, self, dirfd, path, open_flags(m, flags, mode));
}

// stat of dirfd+path with AT_ flags, into a neutral FileStat.
i64 stat_any(Process& m, i64 dirfd, u64 path_address, u64 flags, posix::FileStat& out) {
    std::string path;
    if (i64 error = posix::read_path(m, path_address, path); error != 0)
        return error;
    if (path.empty() && (flags & kAtEmptyPath) != 0) {
        if (dirfd == posix::kAtCwd)
            return posix::stat_at(m, posix::kAtCwd, ".", true, out);
        return dirfd < 0 ? -err::BADF : posix::stat_fd(m, static_cast<u64>(dirfd), out);
    }
    return posix::stat_at(m, dirfd, path, (flags & kAtSymlinkNofollow) == 0, out);
}

i64 write_bytes(Process& m, u64 address, const std::vector<u8>& bytes) {
    return m.memory().write(address, bytes.data(), bytes.size()) ? 0 : -err::FAULT;
}

i64 stat_to(Process& m, i64 result, const posix::FileStat& stat, u64 buffer) {
    if (result != 0)
        return result;
    return write_bytes(m, buffer, encode_stat(stat, m.cpu().arch()));
}

// linux_dirent64: ino, off, reclen, type, name and NUL, 8-byte aligned.
std::vector<u8> dirent64(const posix::DirEntry& entry) {
    std::size_t length = (19 + entry.name.size() + 1 + 7) & ~std::size_t{7};
    std::vector<u8> bytes(length, 0);
    u64 ino = entry.ino;
    u64 off = entry.cookie;
    auto reclen = static_cast<u16>(length);
    std::memcpy(bytes.data(), &ino, 8);
    std::memcpy(bytes.data() + 8, &off, 8);
    std::memcpy(bytes.data() + 16, &reclen, 2);
    bytes[18] = static_cast<u8>(entry.type);
    std::memcpy(bytes.data() + 19, entry.name.data(), entry.name.size());
    return bytes;
}

} // namespace

SysResult sys_openat(Process& m, Lwp& self, const SyscallArgs& args) {
    return open_at(m, self, posix::int_arg(args.a[0]), args.a[1], args.a[2], args.a[3]);
}

SysResult sys_open(Process& m, Lwp& self, const SyscallArgs& args) {
    return open_at(m, self, posix::kAtCwd, args.a[0], args.a[1], args.a[2]);
}

SysResult sys_creat(Process& m, Lwp& self, const SyscallArgs& args) {
    // O_CREAT | O_WRONLY | O_TRUNC
    return open_at(m, self, posix::kAtCwd, args.a[0], 01101, args.a[1]);
}

// mknodat(dirfd, path, mode, dev): FIFOs and regular files (devices need
// privileges the guest has not).
SysResult sys_mknodat(Process& m, Lwp&, const SyscallArgs& args) {
    auto mode = static_cast<u32>(args.a[2]);
    return SysResult::of(posix::with_path(m, args.a[1], [&](const std::string& path) {
        return posix::mknod_at(m, posix::int_arg(args.a[0]), path, posix::node_kind(mode), mode);
    }));
}

SysResult sys_mknod(Process& m, Lwp&, const SyscallArgs& args) {
    auto mode = static_cast<u32>(args.a[1]);
    return SysResult::of(posix::with_path(m, args.a[0], [&](const std::string& path) {
        return posix::mknod_at(m, posix::kAtCwd, path, posix::node_kind(mode), mode);
    }));
}

SysResult sys_stat(Process& m, Lwp&, const SyscallArgs& args) {
    posix::FileStat stat;
    i64 result = stat_any(m, posix::kAtCwd, args.a[0], 0, stat);
    return SysResult::of(stat_to(m, result, stat, args.a[1]));
}

SysResult sys_lstat(Process& m, Lwp&, const SyscallArgs& args) {
    posix::FileStat stat;
    i64 result = stat_any(m, posix::kAtCwd, args.a[0], kAtSymlinkNofollow, stat);
    return SysResult::of(stat_to(m, result, stat, args.a[1]));
}

SysResult sys_fstat(Process& m, Lwp&, const SyscallArgs& args) {
    posix::FileStat stat;
    i64 result = posix::stat_fd(m, args.a[0], stat);
    return SysResult::of(stat_to(m, result, stat, args.a[1]));
}

// newfstatat (amd64) and fstatat64 (386, arm): (dirfd, path, buf, flags).
SysResult sys_fstatat(Process& m, Lwp&, const SyscallArgs& args) {
    posix::FileStat stat;
    i64 result = stat_any(m, posix::int_arg(args.a[0]), args.a[1], args.a[3], stat);
    return SysResult::of(stat_to(m, result, stat, args.a[2]));
}

SysResult sys_statx(Process& m, Lwp&, const SyscallArgs& args) {
    posix::FileStat stat;
    i64 result = stat_any(m, posix::int_arg(args.a[0]), args.a[1], args.a[2], stat);
    if (result != 0)
        return SysResult::of(result);
    return SysResult::of(write_bytes(m, args.a[4], encode_statx(stat)));
}

SysResult sys_getdents64(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::read_directory(m, args.a[0], args.a[1],
                                               std::min<u64>(args.a[2], 1 << 20), dirent64));
}

SysResult sys_mkdirat(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::with_path(m, args.a[1], [&](const std::string& path) {
        return posix::mkdir_at(m, posix::int_arg(args.a[0]), path, static_cast<u32>(args.a[2]));
    }));
}

SysResult sys_mkdir(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::with_path(m, args.a[0], [&](const std::string& path) {
        return posix::mkdir_at(m, posix::kAtCwd, path, static_cast<u32>(args.a[1]));
    }));
}

SysResult sys_unlinkat(Process& m, Lwp&, const SyscallArgs& args) {
    if ((args.a[2] & ~kAtRemoveDir) != 0)
        return SysResult::of(-err::INVAL);
    return SysResult::of(posix::with_path(m, args.a[1], [&](const std::string& path) {
        return posix::unlink_at(m, posix::int_arg(args.a[0]), path,
                                (args.a[2] & kAtRemoveDir) != 0);
    }));
}

SysResult sys_unlink(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::with_path(m, args.a[0], [&](const std::string& path) {
        return posix::unlink_at(m, posix::kAtCwd, path, false);
    }));
}

SysResult sys_rmdir(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::with_path(m, args.a[0], [&](const std::string& path) {
        return posix::unlink_at(m, posix::kAtCwd, path, true);
    }));
}

SysResult sys_renameat(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::with_paths(
        m, args.a[1], args.a[3], [&](const std::string& from, const std::string& to) {
            return posix::rename_at(m, posix::int_arg(args.a[0]), from, posix::int_arg(args.a[2]),
                                    to);
        }));
}

SysResult sys_renameat2(Process& m, Lwp& self, const SyscallArgs& args) {
    // RENAME_NOREPLACE, RENAME_EXCHANGE and RENAME_WHITEOUT are not kept.
    if (args.a[4] != 0)
        return SysResult::of(-err::INVAL);
    return sys_renameat(m, self, args);
}

SysResult sys_rename(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::with_paths(
        m, args.a[0], args.a[1], [&](const std::string& from, const std::string& to) {
            return posix::rename_at(m, posix::kAtCwd, from, posix::kAtCwd, to);
        }));
}

SysResult sys_linkat(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::with_paths(
        m, args.a[1], args.a[3], [&](const std::string& from, const std::string& to) {
            return posix::link_at(m, posix::int_arg(args.a[0]), from, posix::int_arg(args.a[2]), to,
                                  (args.a[4] & kAtSymlinkFollow) != 0);
        }));
}

SysResult sys_link(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::with_paths(
        m, args.a[0], args.a[1], [&](const std::string& from, const std::string& to) {
            return posix::link_at(m, posix::kAtCwd, from, posix::kAtCwd, to, false);
        }));
}

SysResult sys_symlinkat(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::with_paths(
        m, args.a[0], args.a[2], [&](const std::string& target, const std::string& path) {
            return posix::symlink_at(m, target, posix::int_arg(args.a[1]), path);
        }));
}

SysResult sys_symlink(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::with_paths(
        m, args.a[0], args.a[1], [&](const std::string& target, const std::string& path) {
            return posix::symlink_at(m, target, posix::kAtCwd, path);
        }));
}

SysResult sys_readlinkat(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(
        posix::readlink_to_guest(m, posix::int_arg(args.a[0]), args.a[1], args.a[2], args.a[3]));
}

SysResult sys_readlink(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(
        posix::readlink_to_guest(m, posix::kAtCwd, args.a[0], args.a[1], args.a[2]));
}

SysResult sys_getcwd(Process& m, Lwp&, const SyscallArgs& args) {
    std::string path = posix::cwd_path(m);
    if (path.front() != '/')
        return SysResult::of(-err::NOENT); // the cwd was removed
    if (path.size() + 1 > args.a[1])
        return SysResult::of(-err::RANGE);
    if (!m.memory().write(args.a[0], path.c_str(), path.size() + 1))
        return SysResult::of(-err::FAULT);
    return SysResult::of(static_cast<i64>(path.size() + 1));
}

SysResult sys_chdir(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::with_path(
        m, args.a[0], [&](const std::string& path) { return posix::chdir_path(m, path); }));
}

SysResult sys_fchdir(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::chdir_fd(m, args.a[0]));
}

namespace {

i64 access_at(Process& m, const SyscallArgs& args, bool follow) {
    return posix::with_path(m, args.a[1], [&](const std::string& path) {
        return posix::access_at(m, posix::int_arg(args.a[0]), path, static_cast<u32>(args.a[2]),
                                follow);
    });
}

} // namespace

SysResult sys_faccessat(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(access_at(m, args, true));
}

// faccessat2(dirfd, path, mode, flags): AT_EACCESS is the same here (the
// real and effective ids are one).
SysResult sys_faccessat2(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(access_at(m, args, (args.a[3] & kAtSymlinkNofollow) == 0));
}

SysResult sys_access(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::with_path(m, args.a[0], [&](const std::string& path) {
        return posix::access_at(m, posix::kAtCwd, path, static_cast<u32>(args.a[1]), true);
    }));
}

SysResult sys_fchmodat(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::with_path(m, args.a[1], [&](const std::string& path) {
        return posix::chmod_at(m, posix::int_arg(args.a[0]), path, static_cast<u32>(args.a[2]));
    }));
}

SysResult sys_chmod(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::with_path(m, args.a[0], [&](const std::string& path) {
        return posix::chmod_at(m, posix::kAtCwd, path, static_cast<u32>(args.a[1]));
    }));
}

SysResult sys_fchmod(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::chmod_fd(m, args.a[0], static_cast<u32>(args.a[1])));
}

// chown and friends: every file is the guest user's already; giving one to
// another user is EPERM, as for an unprivileged user.
namespace {

SysResult chown_path(Process& m, const SyscallArgs& args, bool follow, bool legacy16) {
    return SysResult::of(posix::with_path(m, args.a[0], [&](const std::string& path) {
        return posix::chown_at(m, posix::kAtCwd, path, follow, id_arg(args.a[1], legacy16),
                               id_arg(args.a[2], legacy16));
    }));
}

SysResult chown_fd(Process& m, const SyscallArgs& args, bool legacy16) {
    return SysResult::of(
        posix::chown_fd(m, args.a[0], id_arg(args.a[1], legacy16), id_arg(args.a[2], legacy16)));
}

} // namespace

// fchownat(dirfd, path, uid, gid, flags): AT_SYMLINK_NOFOLLOW, and
// AT_EMPTY_PATH (0x1000) for the dirfd itself.
SysResult sys_fchownat(Process& m, Lwp&, const SyscallArgs& args) {
    i64 uid = id_arg(args.a[2], false), gid = id_arg(args.a[3], false);
    bool follow = (args.a[4] & kAtSymlinkNofollow) == 0;
    return SysResult::of(posix::with_path(m, args.a[1], [&](const std::string& path) {
        if (path.empty() && (args.a[4] & kAtEmptyPath) != 0)
            return posix::chown_fd(m, args.a[0], uid, gid);
        return posix::chown_at(m, posix::int_arg(args.a[0]), path, follow, uid, gid);
    }));
}

SysResult sys_fchown(Process& m, Lwp&, const SyscallArgs& args) {
    return chown_fd(m, args, legacy_ids(m));
}
SysResult sys_fchown32(Process& m, Lwp&, const SyscallArgs& args) {
    return chown_fd(m, args, false);
}
SysResult sys_chown(Process& m, Lwp&, const SyscallArgs& args) {
    return chown_path(m, args, true, legacy_ids(m));
}
SysResult sys_chown32(Process& m, Lwp&, const SyscallArgs& args) {
    return chown_path(m, args, true, false);
}
SysResult sys_lchown(Process& m, Lwp&, const SyscallArgs& args) {
    return chown_path(m, args, false, legacy_ids(m));
}
SysResult sys_lchown32(Process& m, Lwp&, const SyscallArgs& args) {
    return chown_path(m, args, false, false);
}

SysResult sys_truncate(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::with_path(m, args.a[0], [&](const std::string& path) {
        return posix::truncate_at(m, posix::kAtCwd, path, to_i64(args.a[1], m.word_size()));
    }));
}

// truncate64(path, lo, hi) on 386; (path, pad, lo, hi) on arm.
SysResult sys_truncate64(Process& m, Lwp&, const SyscallArgs& args) {
    bool arm = m.cpu().arch() == Arch::arm;
    i64 length =
        arm ? posix::pair_arg(args.a[2], args.a[3]) : posix::pair_arg(args.a[1], args.a[2]);
    return SysResult::of(posix::with_path(m, args.a[0], [&](const std::string& path) {
        return posix::truncate_at(m, posix::kAtCwd, path, length);
    }));
}

SysResult sys_ftruncate(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::truncate_fd(m, args.a[0], to_i64(args.a[1], m.word_size())));
}

SysResult sys_ftruncate64(Process& m, Lwp&, const SyscallArgs& args) {
    bool arm = m.cpu().arch() == Arch::arm;
    i64 length =
        arm ? posix::pair_arg(args.a[2], args.a[3]) : posix::pair_arg(args.a[1], args.a[2]);
    return SysResult::of(posix::truncate_fd(m, args.a[0], length));
}

namespace {

constexpr i64 kUtimeNow = (1 << 30) - 1;
constexpr i64 kUtimeOmit = (1 << 30) - 2;

// A time since the epoch in ns, or EINVAL for a fraction out of range or
// seconds too far from the epoch to count in ns.
i64 time_of(i64 seconds, i64 fraction, i64 unit, posix::FileTime& out) {
    constexpr i64 kLimit = 9'000'000'000; // seconds: about 285 years either way
    if (fraction < 0 || fraction * unit >= static_cast<i64>(kNsPerSecond) || seconds > kLimit ||
        seconds < -kLimit)
        return -err::INVAL;
    out = {posix::FileTime::Kind::set, seconds * static_cast<i64>(kNsPerSecond) + fraction * unit};
    return 0;
}

// times[2] of utimensat (struct timespec, UTIME_NOW and UTIME_OMIT) or of
// utimes (struct timeval): NULL is now for both.
i64 read_times(Process& m, u64 times, bool timeval, bool time64, posix::FileTime (&out)[2]) {
    out[0] = out[1] = posix::FileTime{};
    if (times == 0)
        return 0;
    u64 size = time64 || m.word_size() == 8 ? 16 : 8;
    for (u64 i = 0; i < 2; ++i) {
        i64 seconds = 0, fraction = 0;
        if (!read_time_pair(m, times + i * size, seconds, fraction, time64))
            return -err::FAULT;
        if (!timeval && fraction == kUtimeNow)
            out[i] = posix::FileTime{posix::FileTime::Kind::now};
        else if (!timeval && fraction == kUtimeOmit)
            out[i] = posix::FileTime{posix::FileTime::Kind::omit};
        else if (i64 bad = time_of(seconds, fraction, timeval ? 1000 : 1, out[i]); bad != 0)
            return bad;
    }
    return 0;
}

// utimensat(dirfd, path, times, flags); a NULL path is futimens(dirfd).
SysResult utimensat(Process& m, const SyscallArgs& args, bool time64) {
    posix::FileTime times[2];
    if (i64 bad = read_times(m, args.a[2], false, time64, times); bad != 0)
        return SysResult::of(bad);
    if (args.a[1] == 0)
        return SysResult::of(posix::set_times_fd(m, args.a[0], times[0], times[1]));
    bool follow = (args.a[3] & kAtSymlinkNofollow) == 0;
    return SysResult::of(posix::with_path(m, args.a[1], [&](const std::string& path) {
        return posix::set_times_at(m, posix::int_arg(args.a[0]), path, follow, times[0], times[1]);
    }));
}

SysResult utimes_at(Process& m, i64 dirfd, u64 path_address, u64 times_address) {
    posix::FileTime times[2];
    if (i64 bad = read_times(m, times_address, true, false, times); bad != 0)
        return SysResult::of(bad);
    return SysResult::of(posix::with_path(m, path_address, [&](const std::string& path) {
        return posix::set_times_at(m, dirfd, path, true, times[0], times[1]);
    }));
}

} // namespace

SysResult sys_utimensat(Process& m, Lwp&, const SyscallArgs& args) {
    return utimensat(m, args, false);
}

SysResult sys_utimensat_time64(Process& m, Lwp&, const SyscallArgs& args) {
    return utimensat(m, args, true);
}

SysResult sys_utimes(Process& m, Lwp&, const SyscallArgs& args) {
    return utimes_at(m, posix::kAtCwd, args.a[0], args.a[1]);
}

SysResult sys_futimesat(Process& m, Lwp&, const SyscallArgs& args) {
    return utimes_at(m, posix::int_arg(args.a[0]), args.a[1], args.a[2]);
}

// utime(path, struct utimbuf *{actime, modtime}): whole seconds, words.
SysResult sys_utime(Process& m, Lwp&, const SyscallArgs& args) {
    posix::FileTime times[2];
    if (args.a[1] != 0) {
        for (u64 i = 0; i < 2; ++i) {
            u64 word = 0;
            if (!m.read_word(args.a[1] + i * static_cast<u64>(m.word_size()), word))
                return SysResult::of(-err::FAULT);
            if (i64 bad = time_of(to_i64(word, m.word_size()), 0, 1, times[i]); bad != 0)
                return SysResult::of(bad);
        }
    }
    return SysResult::of(posix::with_path(m, args.a[0], [&](const std::string& path) {
        return posix::set_times_at(m, posix::kAtCwd, path, true, times[0], times[1]);
    }));
}

SysResult sys_umask(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::set_umask(m, static_cast<u32>(args.a[0])));
}

} // namespace crossrt::kernel::lnx
