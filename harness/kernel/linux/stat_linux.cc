#include "kernel/linux/stat_linux.h"

#include <cstring>

namespace crossrt::kernel::lnx {
namespace {

template <typename T>
void put(std::vector<u8>& bytes, std::size_t offset, T value) {
    std::memcpy(bytes.data() + offset, &value, sizeof value);
}

// Where each field of stat64 lies; 386 and arm differ only in the
// alignment of the 64-bit fields after the first padding.
struct Stat64Layout {
    std::size_t size, size_field, blksize, blocks, atime, mtime, ctime, ino;
};
constexpr Stat64Layout kStat64_386 = {96, 44, 52, 56, 64, 72, 80, 88};
constexpr Stat64Layout kStat64Arm = {104, 48, 56, 64, 72, 80, 88, 96};

// dev_t's major and minor, as glibc's gnu_dev_major/gnu_dev_minor split it.
u32 major_of(u64 dev) {
    return static_cast<u32>(((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffull));
}
u32 minor_of(u64 dev) {
    return static_cast<u32>((dev & 0xff) | ((dev >> 12) & ~0xffull));
}

} // namespace

std::vector<u8> encode_stat(const posix::FileStat& stat, Arch arch) {
    if (arch == Arch::amd64) {
        std::vector<u8> bytes(144, 0);
        put<u64>(bytes, 0, stat.dev);
        put<u64>(bytes, 8, stat.ino);
        put<u64>(bytes, 16, stat.nlink);
        put<u32>(bytes, 24, stat.mode);
        put<u32>(bytes, 28, stat.uid);
        put<u32>(bytes, 32, stat.gid);
        put<u64>(bytes, 40, stat.rdev);
        put<i64>(bytes, 48, stat.size);
        put<i64>(bytes, 56, stat.blksize);
        put<i64>(bytes, 64, stat.blocks);
        put<i64>(bytes, 72, stat.atime.sec);
        put<i64>(bytes, 80, stat.atime.nsec);
        put<i64>(bytes, 88, stat.mtime.sec);
        put<i64>(bytes, 96, stat.mtime.nsec);
        put<i64>(bytes, 104, stat.ctime.sec);
        put<i64>(bytes, 112, stat.ctime.nsec);
        return bytes;
    }
    const Stat64Layout& at = arch == Arch::arm ? kStat64Arm : kStat64_386;
    std::vector<u8> bytes(at.size, 0);
    put<u64>(bytes, 0, stat.dev);
    put<u32>(bytes, 12, static_cast<u32>(stat.ino)); // __st_ino, the truncated one
    put<u32>(bytes, 16, stat.mode);
    put<u32>(bytes, 20, static_cast<u32>(stat.nlink));
    put<u32>(bytes, 24, stat.uid);
    put<u32>(bytes, 28, stat.gid);
    put<u64>(bytes, 32, stat.rdev);
    put<i64>(bytes, at.size_field, stat.size);
    put<u32>(bytes, at.blksize, static_cast<u32>(stat.blksize));
    put<u64>(bytes, at.blocks, static_cast<u64>(stat.blocks));
    put<u32>(bytes, at.atime, static_cast<u32>(stat.atime.sec));
    put<u32>(bytes, at.atime + 4, static_cast<u32>(stat.atime.nsec));
    put<u32>(bytes, at.mtime, static_cast<u32>(stat.mtime.sec));
    put<u32>(bytes, at.mtime + 4, static_cast<u32>(stat.mtime.nsec));
    put<u32>(bytes, at.ctime, static_cast<u32>(stat.ctime.sec));
    put<u32>(bytes, at.ctime + 4, static_cast<u32>(stat.ctime.nsec));
    put<u64>(bytes, at.ino, stat.ino);
    return bytes;
}

std::vector<u8> encode_statx(const posix::FileStat& stat) {
    std::vector<u8> bytes(256, 0);
    auto put_time = [&](std::size_t offset, const posix::StatTime& time) {
        put<i64>(bytes, offset, time.sec);
        put<u32>(bytes, offset + 8, static_cast<u32>(time.nsec));
    };
    put<u32>(bytes, 0, kStatxBasicStats);
    put<u32>(bytes, 4, static_cast<u32>(stat.blksize));
    put<u32>(bytes, 16, static_cast<u32>(stat.nlink));
    put<u32>(bytes, 20, stat.uid);
    put<u32>(bytes, 24, stat.gid);
    put<u16>(bytes, 28, static_cast<u16>(stat.mode));
    put<u64>(bytes, 32, stat.ino);
    put<u64>(bytes, 40, static_cast<u64>(stat.size));
    put<u64>(bytes, 48, static_cast<u64>(stat.blocks));
    put_time(64, stat.atime);
    put_time(96, stat.ctime);
    put_time(112, stat.mtime);
    put<u32>(bytes, 128, major_of(stat.rdev));
    put<u32>(bytes, 132, minor_of(stat.rdev));
    put<u32>(bytes, 136, major_of(stat.dev));
    put<u32>(bytes, 140, minor_of(stat.dev));
    return bytes;
}

} // namespace crossrt::kernel::lnx
