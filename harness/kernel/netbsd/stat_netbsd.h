// NetBSD's struct stat (the one __stat50, __fstat50, __lstat50 and fstatat
// fill, since NetBSD 5.0), from the neutral FileStat (posix/stat.h): 152
// bytes on amd64 and arm (8-byte aligned 64-bit fields, a 16-byte
// timespec), 124 on 386 (4-byte aligned, a 12-byte timespec). Offsets as
// sys/stat.h lays them out; Go's syscall.Stat_t (ztypes_netbsd_*.go) has
// the same.
#pragma once

#include "kernel/posix/stat.h"
#include "kernel/types.h"

#include <vector>

namespace crossrt::kernel::nbsd {

std::vector<u8> encode_stat(const posix::FileStat& stat, Arch arch);

} // namespace crossrt::kernel::nbsd
