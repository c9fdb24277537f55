// What stat(2) says about a file, in neutral form: each personality writes
// it in its own struct stat layout (linux/stat_linux.h, and NetBSD's next).
#pragma once

#include "kernel/posix/fs_tree.h"
#include "kernel/types.h"

namespace crossrt::kernel::posix {

// The file type bits of st_mode: the same numbers on Linux and NetBSD.
constexpr u32 kModeDirectory = 0040000;
constexpr u32 kModeRegular = 0100000;
constexpr u32 kModeSymlink = 0120000;
constexpr u32 kModeCharDevice = 0020000;
constexpr u32 kModeFifo = 0010000;
constexpr u32 kModeSocket = 0140000;

struct StatTime {
    i64 sec = 0;
    i64 nsec = 0;
};

struct FileStat {
    u64 dev = 0;
    u64 ino = 0;
    u64 nlink = 1;
    u32 mode = 0; // type | permission bits
    u32 uid = 0;
    u32 gid = 0;
    u64 rdev = 0;
    i64 size = 0;
    i64 blksize = 4096;
    i64 blocks = 0; // 512-byte units
    StatTime atime;
    StatTime mtime;
    StatTime ctime;
};

// The device number every file of the run's tree reports.
constexpr u64 kTreeDevice = 0x2a;

// A node of the run's tree.
FileStat stat_of(const Node& node);

} // namespace crossrt::kernel::posix
