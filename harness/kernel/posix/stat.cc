#include "kernel/posix/stat.h"

namespace crossrt::kernel::posix {
namespace {

// Seconds rounded down, so that a time before the epoch has its
// nanoseconds in [0, 1e9) as the kernel's struct timespec does.
StatTime time_of(i64 ns) {
    constexpr i64 kSecond = 1'000'000'000;
    i64 seconds = ns / kSecond, rest = ns % kSecond;
    if (rest < 0) {
        rest += kSecond;
        --seconds;
    }
    return StatTime{seconds, rest};
}

} // namespace

FileStat stat_of(const Node& node) {
    FileStat stat;
    stat.dev = kTreeDevice;
    stat.ino = node.ino;
    stat.nlink = node.nlink;
    u32 type = node.type == NodeType::directory ? kModeDirectory
               : node.type == NodeType::symlink ? kModeSymlink
               : node.type == NodeType::fifo    ? kModeFifo
               : node.type == NodeType::socket  ? kModeSocket
                                                : kModeRegular;
    stat.mode = type | (node.mode & 07777);
    stat.uid = node.uid;
    stat.gid = node.gid;
    stat.size = node.type == NodeType::directory ? 4096 : static_cast<i64>(node.size());
    stat.blocks = (stat.size + 511) / 512;
    stat.mtime = time_of(node.mtime_ns);
    stat.ctime = time_of(node.ctime_ns);
    stat.atime = time_of(node.atime_ns);
    return stat;
}

} // namespace crossrt::kernel::posix
