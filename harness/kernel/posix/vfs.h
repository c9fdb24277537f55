// The virtual file set: the few paths a guest can open. No host file is ever
// opened; every byte comes from the kernel, so a run stays deterministic (the
// random devices draw from the seed). Every other path is ENOENT.
//
//   both personalities: /dev/null, /dev/zero, /dev/random, /dev/urandom
//   Linux: /proc/self/maps (the guest's regions at open),
//          /proc/cpuinfo and /sys/devices/system/cpu/{online,possible,present}
//          (the CPUs the kernel presents, KernelOptions::cpus),
//          /sys/kernel/mm/transparent_hugepage/hpage_pmd_size (Go reads it)
#pragma once

#include "kernel/posix/files.h"
#include "kernel/types.h"

#include <string>
#include <vector>

namespace crossrt::kernel {
class Process;
}

namespace crossrt::kernel::posix {

// open(2) flags, as the caller's personality decoded them.
struct OpenRequest {
    std::string path;
    bool read = true;
    bool write = false;
    bool nonblock = false;
    bool cloexec = false;
    bool linux_files = false; // Linux's /proc and /sys files are there too
};

// The new fd, or -errno: ENOENT outside the set, EACCES for
// writing a read-only file, EMFILE past the fd limit.
i64 open_virtual(Process& m, const OpenRequest& request);

// Bytes read into the guest's buffer, or -errno.
i64 virtual_read(Process& m, VirtualFile& file, u64 buffer, u64 length);
// Bytes accepted, or -errno.
i64 virtual_write(Process& m, VirtualFile& file, u64 buffer, u64 length);
// lseek: the new offset, or -errno (whence: 0 SET, 1 CUR, 2 END).
i64 virtual_seek(VirtualFile& file, i64 offset, int whence);

// The paths of the set, for the docs and --help.
std::vector<std::string> virtual_paths(bool linux_files);

} // namespace crossrt::kernel::posix
