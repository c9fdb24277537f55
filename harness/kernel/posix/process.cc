#include "kernel/posix/process.h"

#include "kernel/process.h"

#include <cstring>

namespace crossrt::kernel::posix {

Rlimit resource_limit(Process& m, Resource resource) {
    switch (resource) {
    case Resource::stack:
        return {8ull << 20, kUnlimited};
    case Resource::open_files:
        return {m.files().open_soft, m.files().open_hard};
    case Resource::other:
        break;
    }
    return {};
}

i64 set_resource_limit(Process& m, Resource resource, Rlimit want, i64 refusal) {
    if (want.soft > want.hard)
        return -err::INVAL;
    if (resource != Resource::open_files) {
        Rlimit now = resource_limit(m, resource);
        return want.soft == now.soft && want.hard == now.hard ? 0 : refusal;
    }
    Files& files = m.files();
    if (want.hard > files.open_hard)
        return -err::PERM;
    files.open_soft = want.soft;
    files.open_hard = want.hard;
    return 0;
}

i64 set_ids(std::initializer_list<i64> ids) {
    for (i64 id : ids) {
        if (id != -1 && id != kGuestUid)
            return -err::PERM;
    }
    return 0;
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
