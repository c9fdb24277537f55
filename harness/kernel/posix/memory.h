// mmap, munmap, mprotect, madvise and brk over the guest's address space
// (mm.h). Protections are the kernel's kProt* bits (the same in every
// personality); each personality decodes its flag words into MmapRequest.
#pragma once

#include "kernel/types.h"

namespace crossrt::kernel {
class Process;
}

namespace crossrt::kernel::posix {

struct MmapRequest {
    u64 address = 0; // the hint, or the place (fixed)
    u64 length = 0;
    int prot = 0;
    bool shared = false;
    bool private_ = false;
    bool fixed = false;           // replaces what is there
    bool fixed_noreplace = false; // at address, or EEXIST
    bool anonymous = false;
    u64 fd = 0;     // not anonymous: the file mapped
    u64 offset = 0; // in bytes
};

// The address, or -errno. A file of the run's tree is mapped MAP_PRIVATE as
// a copy of its bytes at offset (what a dynamic loader does with a library);
// MAP_SHARED of a file is a copy too when it is read-only, since no write
// can show the difference, and ENODEV when writable (nothing keeps the
// mapping and the file in step). Other files (pipes, devices) are ENODEV.
i64 mmap(Process& m, const MmapRequest& request);
i64 munmap(Process& m, u64 address, u64 length);
i64 mprotect(Process& m, u64 address, u64 length, int prot);

enum class Advice {
    dontneed, // the range reads as zeros afterwards
    other,    // accepted, nothing changes (MADV_FREE may keep the contents)
};
i64 madvise(Process& m, u64 address, u64 length, Advice advice);

// The new (or unchanged) program break.
u64 brk(Process& m, u64 requested);

} // namespace crossrt::kernel::posix
