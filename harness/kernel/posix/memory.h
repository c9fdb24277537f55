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
    u64 offset = 0; // in bytes
};

// The address, or -errno: only anonymous mappings exist (ENODEV for a file).
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
