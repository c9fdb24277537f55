// Decoding the arguments every personality's syscalls share the shape of:
// an int (a dirfd), a path, one or two paths handed to a call, a 64-bit
// value in two registers, a NUL-ended array of strings (argv, envp), a
// struct iovec array. Errors are the kernel's -err::X; each personality
// encodes them its own way.
#pragma once

#include "kernel/posix/fs_tree.h"
#include "kernel/process.h"
#include "kernel/types.h"

#include <string>
#include <vector>

namespace crossrt::kernel::posix {

// An int argument (AT_FDCWD is -100), whatever the word size.
inline i64 int_arg(u64 value) {
    return static_cast<i64>(static_cast<i32>(static_cast<u32>(value)));
}

// A 64-bit argument in two registers: lo, hi.
inline i64 pair_arg(u64 lo, u64 hi) {
    return static_cast<i64>((hi << 32) | (lo & 0xffffffff));
}

// A path: 0, or -EFAULT when it cannot be read.
i64 read_path(Process& m, u64 address, std::string& path);

template <typename Call>
i64 with_path(Process& m, u64 address, Call call) {
    std::string path;
    if (i64 error = read_path(m, address, path); error != 0)
        return error;
    return call(path);
}

template <typename Call>
i64 with_paths(Process& m, u64 first, u64 second, Call call) {
    std::string a, b;
    if (i64 error = read_path(m, first, a); error != 0)
        return error;
    if (i64 error = read_path(m, second, b); error != 0)
        return error;
    return call(a, b);
}

// argv/envp: -E2BIG past 4096 strings or 1 MiB in all, -EFAULT.
i64 read_string_array(Process& m, u64 array, std::vector<std::string>& out);

// readv/writev: io(base, length) for each struct iovec {base, length} in
// turn, until one comes back short; the bytes moved, or the first error.
template <typename Io>
i64 each_iovec(Process& m, u64 iov, u64 count, Io io) {
    if (count > 1024)
        return -err::INVAL;
    u64 word = static_cast<u64>(m.word_size());
    i64 total = 0;
    for (u64 i = 0; i < count; ++i) {
        u64 base = 0, length = 0;
        if (!m.read_word(iov + i * 2 * word, base) ||
            !m.read_word(iov + i * 2 * word + word, length))
            return total > 0 ? total : -err::FAULT;
        if (length == 0)
            continue;
        i64 n = io(base, length);
        if (n < 0)
            return total > 0 ? total : n;
        total += n;
        if (static_cast<u64>(n) < length)
            break;
    }
    return total;
}

// The first non-empty struct iovec, or length 0: a pipe's readv reads
// only into it (a short read), so it may block as read does.
struct Iovec {
    u64 base = 0;
    u64 length = 0;
};
i64 first_iovec(Process& m, u64 iov, u64 count, Iovec& out);

// readlink/readlinkat into the guest's buffer: the bytes copied (no NUL).
i64 readlink_to_guest(Process& m, i64 dirfd, u64 path_address, u64 buffer, u64 size);

} // namespace crossrt::kernel::posix
