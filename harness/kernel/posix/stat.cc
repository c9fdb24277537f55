#include "kernel/posix/stat.h"

namespace crossrt::kernel::posix {
namespace {

StatTime time_of(u64 ns) {
    return StatTime{static_cast<i64>(ns / 1'000'000'000), static_cast<i64>(ns % 1'000'000'000)};
}

} // namespace

FileStat stat_of(const Node& node, u32 uid, u32 gid) {
    FileStat stat;
    stat.dev = kTreeDevice;
    stat.ino = node.ino;
    stat.nlink = node.nlink;
    u32 type = node.type == NodeType::directory ? kModeDirectory
               : node.type == NodeType::symlink ? kModeSymlink
                                                : kModeRegular;
    stat.mode = type | (node.mode & 07777);
    stat.uid = uid;
    stat.gid = gid;
    stat.size = node.type == NodeType::directory ? 4096 : static_cast<i64>(node.size());
    stat.blocks = (stat.size + 511) / 512;
    stat.mtime = time_of(node.mtime_ns);
    stat.ctime = time_of(node.ctime_ns);
    stat.atime = stat.mtime; // no access times: reads do not change a run's tree
    return stat;
}

} // namespace crossrt::kernel::posix
