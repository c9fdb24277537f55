// Register access for the per-arch code: Unicorn reads and writes through a
// pointer whose size must match the register, so the width is in the name.
#pragma once

#include "kernel/types.h"

#include <unicorn/unicorn.h>

namespace crossrt::kernel {

inline u32 reg32(uc_engine* uc, int id) {
    u32 value = 0;
    uc_reg_read(uc, id, &value);
    return value;
}
inline void set_reg32(uc_engine* uc, int id, u32 value) {
    uc_reg_write(uc, id, &value);
}
inline u64 reg64(uc_engine* uc, int id) {
    u64 value = 0;
    uc_reg_read(uc, id, &value);
    return value;
}
inline void set_reg64(uc_engine* uc, int id, u64 value) {
    uc_reg_write(uc, id, &value);
}

} // namespace crossrt::kernel
