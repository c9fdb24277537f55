#include "kernel/posix/memory.h"

#include "kernel/posix/files.h"
#include "kernel/posix/fs.h"
#include "kernel/process.h"

#include <algorithm>
#include <string>
#include <vector>

namespace crossrt::kernel::posix {

namespace {

// The bytes a file mapping copies, or -errno: a regular file of the tree,
// open for reading (EACCES otherwise, as Linux answers).
i64 file_bytes(Process& m, const MmapRequest& request, const std::string*& bytes,
               std::string& name) {
    OpenFile* file = m.files().find(request.fd);
    if (file == nullptr)
        return -err::BADF;
    if (file->kind != FileKind::tree || file->tree->node->type != NodeType::regular)
        return -err::NODEV;
    TreeFile& open = *file->tree;
    if (!open.readable)
        return -err::ACCES;
    if (request.shared && (request.prot & kProtWrite) != 0)
        return -err::NODEV;
    if (i64 error = m.file_system().tree.load(*open.node); error != 0)
        return error;
    bytes = &open.node->data;
    name = open.path;
    return 0;
}

i64 place(Process& m, const MmapRequest& request, int prot, const std::string& name) {
    if (request.fixed_noreplace) {
        if (request.address % kPageSize != 0)
            return -err::INVAL;
        u64 end = request.address + page_up(request.length);
        for (u64 at = request.address; at < end; at += kPageSize) {
            if (m.memory().find(at) != nullptr)
                return -err::EXIST;
        }
        return m.memory().map_fixed(request.address, request.length, prot, name);
    }
    if (request.fixed)
        return m.memory().map_fixed(request.address, request.length, prot, name);
    return m.memory().map_anywhere(request.address, request.length, prot, name);
}

} // namespace

i64 mmap(Process& m, const MmapRequest& request) {
    if (request.length == 0)
        return -err::INVAL;
    if ((!request.shared && !request.private_) || request.offset % kPageSize != 0)
        return -err::INVAL;
    if (request.anonymous)
        return place(m, request, request.prot, "");
    const std::string* bytes = nullptr;
    std::string name;
    if (i64 error = file_bytes(m, request, bytes, name); error != 0)
        return error;
    // Mapped readable first (a PROT_NONE mapping has no memory behind it
    // to copy into), then given its own protection.
    i64 address = place(m, request, request.prot | kProtRead, name);
    if (address < 0)
        return address;
    auto at = static_cast<u64>(address);
    if (request.offset < bytes->size()) {
        u64 count = std::min<u64>(request.length, bytes->size() - request.offset);
        if (!m.memory().poke(at, bytes->data() + request.offset, count))
            return -err::FAULT; // Unicorn refused memory it maps
    }
    if (request.prot != (request.prot | kProtRead))
        m.memory().protect(at, request.length, request.prot);
    return address;
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
