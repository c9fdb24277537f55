#include "kernel/posix/process.h"

#include "kernel/process.h"

#include <cstring>

namespace crossrt::kernel::posix {

Rlimit resource_limit(Resource resource) {
    switch (resource) {
    case Resource::stack:
        return {8ull << 20, kUnlimited};
    case Resource::open_files:
        return {kMaxOpenFiles, kMaxOpenFiles};
    case Resource::other:
        break;
    }
    return {};
}

std::vector<u8> random_bytes(Process& m, u64 length) {
    std::vector<u8> bytes(length);
    for (u64 i = 0; i < length; i += 8) {
        u64 word = m.random();
        std::memcpy(bytes.data() + i, &word, std::min<u64>(8, length - i));
    }
    return bytes;
}

} // namespace crossrt::kernel::posix
