#include "kernel/posix/memory.h"

#include "kernel/machine.h"

#include <vector>

namespace crossrt::kernel::posix {

i64 mmap(Machine& m, const MmapRequest& request) {
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

i64 munmap(Machine& m, u64 address, u64 length) {
    if (length == 0)
        return -err::INVAL;
    return m.memory().unmap(address, length);
}

i64 mprotect(Machine& m, u64 address, u64 length, int prot) {
    return m.memory().protect(address, length, prot);
}

i64 madvise(Machine& m, u64 address, u64 length, Advice advice) {
    if (address % kPageSize != 0)
        return -err::INVAL;
    if (advice != Advice::dontneed)
        return 0;
    length = page_up(length);
    if (!m.memory().accessible(address, length, 0))
        return -err::NOMEM;
    std::vector<u8> zeros(length, 0);
    m.memory().poke(address, zeros.data(), zeros.size());
    return 0;
}

u64 brk(Machine& m, u64 requested) {
    return m.memory().brk(requested);
}

} // namespace crossrt::kernel::posix
