#include "kernel/netbsd/stat_netbsd.h"

#include <cstring>

namespace crossrt::kernel::nbsd {
namespace {

template <typename T>
void put(std::vector<u8>& bytes, std::size_t offset, T value) {
    std::memcpy(bytes.data() + offset, &value, sizeof value);
}

// Where each field lies: the two layouts differ in the alignment of the
// 64-bit fields and in the size of a timespec.
struct Layout {
    std::size_t size, mode, ino, nlink, uid, gid, rdev, atime, timespec, size_field, blocks,
        blksize;
};
constexpr Layout kAligned = {152, 8, 16, 24, 28, 32, 40, 48, 16, 112, 120, 128};
constexpr Layout k386 = {124, 8, 12, 20, 24, 28, 32, 40, 12, 88, 96, 104};

} // namespace

std::vector<u8> encode_stat(const posix::FileStat& stat, Arch arch) {
    const Layout& at = arch == Arch::i386 ? k386 : kAligned;
    std::vector<u8> bytes(at.size, 0);
    put<u64>(bytes, 0, stat.dev);
    put<u32>(bytes, at.mode, stat.mode);
    put<u64>(bytes, at.ino, stat.ino);
    put<u32>(bytes, at.nlink, static_cast<u32>(stat.nlink));
    put<u32>(bytes, at.uid, stat.uid);
    put<u32>(bytes, at.gid, stat.gid);
    put<u64>(bytes, at.rdev, stat.rdev);
    // atime, mtime, ctime, birthtime: tv_sec (64-bit), tv_nsec (a long).
    const posix::StatTime times[] = {stat.atime, stat.mtime, stat.ctime, stat.mtime};
    for (std::size_t i = 0; i < 4; ++i) {
        std::size_t offset = at.atime + i * at.timespec;
        put<i64>(bytes, offset, times[i].sec);
        if (arch == Arch::amd64)
            put<i64>(bytes, offset + 8, times[i].nsec);
        else
            put<i32>(bytes, offset + 8, static_cast<i32>(times[i].nsec));
    }
    put<i64>(bytes, at.size_field, stat.size);
    put<i64>(bytes, at.blocks, stat.blocks);
    put<u32>(bytes, at.blksize, static_cast<u32>(stat.blksize));
    return bytes;
}

} // namespace crossrt::kernel::nbsd
