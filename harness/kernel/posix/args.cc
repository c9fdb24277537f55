#include "kernel/posix/args.h"

#include "kernel/posix/fs.h"
#include "kernel/posix/syscall_table.h"

#include <algorithm>

namespace crossrt::kernel::posix {

i64 read_path(Process& m, u64 address, std::string& path) {
    return m.memory().read_string(address, path, kMaxPath) ? 0 : -err::FAULT;
}

i64 read_string_array(Process& m, u64 array, std::vector<std::string>& out) {
    u64 word = static_cast<u64>(m.word_size());
    std::size_t bytes = 0;
    for (u64 i = 0; array != 0; ++i) {
        if (i >= 4096)
            return -err::TOOBIG;
        u64 pointer = 0;
        if (!m.read_word(array + i * word, pointer))
            return -err::FAULT;
        if (pointer == 0)
            break;
        std::string text;
        if (!m.memory().read_string(pointer, text, 128 * 1024))
            return -err::FAULT;
        bytes += text.size() + 1;
        if (bytes > (1u << 20))
            return -err::TOOBIG;
        out.push_back(std::move(text));
    }
    return 0;
}

i64 first_iovec(Process& m, u64 iov, u64 count, Iovec& out) {
    u64 word = static_cast<u64>(m.word_size());
    out = Iovec{};
    for (u64 i = 0; i < std::min<u64>(count, 1024); ++i) {
        if (!m.read_word(iov + i * 2 * word, out.base) ||
            !m.read_word(iov + i * 2 * word + word, out.length))
            return -err::FAULT;
        if (out.length != 0)
            return 0;
    }
    return 0;
}

i64 readlink_to_guest(Process& m, i64 dirfd, u64 path_address, u64 buffer, u64 size) {
    std::string path, target;
    if (i64 error = read_path(m, path_address, path); error != 0)
        return error;
    if (to_i64(size, m.word_size()) <= 0)
        return -err::INVAL;
    if (i64 error = readlink_at(m, dirfd, path, target); error != 0)
        return error;
    u64 count = std::min<u64>(size, target.size());
    return m.memory().write(buffer, target.data(), count) ? static_cast<i64>(count) : -err::FAULT;
}

} // namespace crossrt::kernel::posix
