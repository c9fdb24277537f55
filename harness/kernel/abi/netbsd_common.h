// Pieces of the NetBSD convention shared by the arches: the
// machine-independent ucontext fields, written straight to guest memory.
#pragma once

#include "kernel/abi/netbsd.h"

namespace crossrt::kernel {

struct UcontextHeader {
    u32 flags = 0;
    u64 link = 0;
    u32 sigmask[4]{};
    u64 ss_sp = 0;
    u64 ss_size = 0;
    int ss_flags = 0;
};
bool write_ucontext_header(Process& machine, const UcontextLayout& layout, u64 uc,
                           const UcontextHeader& header);
bool read_ucontext_header(Process& machine, const UcontextLayout& layout, u64 uc,
                          UcontextHeader& header);

} // namespace crossrt::kernel
