// The kernel's errno values are its neutral numbering. posix/, the address
// space (mm.h), the ABI layer and the core return a value >= 0 or -err::X
// (types.h), and err::X has Linux's number (asm-generic/errno*.h), so the
// Linux personality passes results through as they are. Any other
// personality encodes them at its boundary with one data table, indexed by
// the kernel's number (netbsd/errno.cc).
#pragma once

#include "kernel/types.h"

#include <array>

namespace crossrt::kernel::posix {

// Linux numbers errno values up to EHWPOISON (133).
constexpr std::size_t kErrnoCount = 134;

// Index: the kernel's errno; value: the personality's number for it.
using ErrnoTable = std::array<u8, kErrnoCount>;

// A result in the table's numbering: values >= 0 pass unchanged, -errno is
// translated. A number the kernel never gives (beyond the table) becomes the
// personality's EINVAL.
constexpr i64 encode_errno(i64 result, const ErrnoTable& table) {
    if (result >= 0)
        return result;
    u64 number = static_cast<u64>(-result);
    return -static_cast<i64>(number < kErrnoCount ? table[number] : table[err::INVAL]);
}

} // namespace crossrt::kernel::posix
