// Linux's stat structures, from the neutral FileStat (posix/stat.h): struct
// stat on amd64 (144 bytes, newfstatat/fstat/stat), struct stat64 on 386
// (96 bytes, 4-byte aligned long longs) and arm (104 bytes, EABI-aligned),
// and struct statx (256 bytes, every arch). Offsets from the kernel's
// asm/stat.h and uapi/linux/stat.h; StatLayoutTest checks them against
// each toolchain's own headers.
#pragma once

#include "kernel/posix/stat.h"
#include "kernel/types.h"

#include <vector>

namespace crossrt::kernel::lnx {

// stat on amd64, stat64 on 386 and arm.
std::vector<u8> encode_stat(const posix::FileStat& stat, Arch arch);

// STATX_BASIC_STATS: what encode_statx fills (and says it filled).
constexpr u32 kStatxBasicStats = 0x7ff;
std::vector<u8> encode_statx(const posix::FileStat& stat);

} // namespace crossrt::kernel::lnx
