// arm registers both personalities' ABIs need: reading PC drops the Thumb
// bit, so every write of pc and every restart uses pc | CPSR.T.
#pragma once

#include "kernel/abi/regs.h"

namespace crossrt::kernel::arm {

constexpr u32 kCpsrThumb = 0x20;

inline bool thumb(uc_engine* uc) {
    return (reg32(uc, UC_ARM_REG_CPSR) & kCpsrThumb) != 0;
}
inline void set_pc(uc_engine* uc, u64 pc) {
    set_reg32(uc, UC_ARM_REG_PC, static_cast<u32>(pc) | (thumb(uc) ? 1 : 0));
}
inline u64 resume_address(uc_engine* uc) {
    return reg32(uc, UC_ARM_REG_PC) | (thumb(uc) ? 1 : 0);
}

} // namespace crossrt::kernel::arm
