// Register access for the per-arch code: Unicorn reads and writes through a
// pointer whose size must match the register, so the width is in the name.
// The ids are constants of the arch's code, so a refusal is a kernel bug.
#pragma once

#include "kernel/abi/checked.h"
#include "kernel/types.h"

#include <unicorn/unicorn.h>

namespace crossrt::kernel {

inline u32 reg32(uc_engine* uc, int id) {
    u32 value = 0;
    if (uc_err status = uc_reg_read(uc, id, &value); status != UC_ERR_OK)
        unicorn_bug(status, "uc_reg_read", id);
    return value;
}
inline void set_reg32(uc_engine* uc, int id, u32 value) {
    if (uc_err status = uc_reg_write(uc, id, &value); status != UC_ERR_OK)
        unicorn_bug(status, "uc_reg_write", id);
}
inline u64 reg64(uc_engine* uc, int id) {
    u64 value = 0;
    if (uc_err status = uc_reg_read(uc, id, &value); status != UC_ERR_OK)
        unicorn_bug(status, "uc_reg_read", id);
    return value;
}
inline void set_reg64(uc_engine* uc, int id, u64 value) {
    if (uc_err status = uc_reg_write(uc, id, &value); status != UC_ERR_OK)
        unicorn_bug(status, "uc_reg_write", id);
}

} // namespace crossrt::kernel
