#include "kernel/posix/memory.h"

#include "kernel/process.h"

#include <vector>

namespace crossrt::kernel::posix {

i64 mmap(Process& m, const MmapRequest& request) {
    if (request.length == 0)
        return -err::INVAL;
    if (!request.anonymous)
        return -err::NODEV; // no files: nothing to map
    if ((!request.shared && !request.private_) || request.offset % kPageSize != 0)
        return -err::INVAL;
    if (request.fixed_noreplace) {
        if (request.address % kPageSize != 0)
            return -err::INVAL;
        u64 end = request.address + page_up(request.length);
        for (u64 at = request.address; at < end; at += kPageSize) {
            if (m.memory().find(at) != nullptr)
                return -err::EXIST;
        }
        return m.memory().map_fixed(request.address, request.length, request.prot);
    }
    if (request.fixed)
        return m.memory().map_fixed(request.address, request.length, request.prot);
    return m.memory().map_anywhere(request.address, request.length, request.prot);
}

i64 munmap(Process& m, u64 address, u64 length) {
    if (length == 0)
        return -err::INVAL;
    return m.memory().unmap(address, length);
}

i64 mprotect(Process& m, u64 address, u64 length, int prot) {
    return m.memory().protect(address, length, prot);
}

i64 madvise(Process& m, u64 address, u64 length, Advice advice) {
    if (address % kPageSize != 0)
        return -err::INVAL;
    if (advice != Advice::dontneed)
        return 0;
    u64 end = address + page_up(length);
    if (!m.memory().accessible(address, end - address, 0))
        return -err::NOMEM;
    // Zero what Unicorn has memory behind; a never-opened PROT_NONE
    // reservation (Region::backed) has none and reads as zeros anyway.
    for (u64 at = address; at < end;) {
        const Region& region = *m.memory().find(at);
        u64 stop = std::min(end, region.end);
        if (region.backed) {
            std::vector<u8> zeros(stop - at, 0);
            if (!m.memory().poke(at, zeros.data(), zeros.size()))
                return -err::FAULT; // Unicorn refused memory it maps
        }
        at = stop;
    }
    return 0;
}

u64 brk(Process& m, u64 requested) {
    return m.memory().brk(requested);
}

} // namespace crossrt::kernel::posix
