#include "kernel/abi/x86_cpuid.h"

#include "kernel/abi/checked.h"
#include "kernel/abi/regs.h"

namespace crossrt::kernel {
namespace {

// Runs `mov eax, leaf; xor ecx, ecx; cpuid` on a scratch engine.
bool ask_unicorn(uc_mode mode, u32 leaf, std::array<u32, 4>& regs) {
    uc_engine* scratch = nullptr;
    if (uc_open(UC_ARCH_X86, mode, &scratch) != UC_ERR_OK)
        return false;
    const u8 code[] = {0xb8,
                       static_cast<u8>(leaf),
                       static_cast<u8>(leaf >> 8),
                       static_cast<u8>(leaf >> 16),
                       static_cast<u8>(leaf >> 24), // mov eax, leaf
                       0x31,
                       0xc9, // xor ecx, ecx
                       0x0f,
                       0xa2}; // cpuid
    constexpr u64 kAt = 0x1000;
    bool ran = uc_mem_map(scratch, kAt, 0x1000, UC_PROT_ALL) == UC_ERR_OK &&
               uc_mem_write(scratch, kAt, code, sizeof code) == UC_ERR_OK &&
               uc_emu_start(scratch, kAt, kAt + sizeof code, 0, 0) == UC_ERR_OK;
    if (ran) {
        regs = {reg32(scratch, UC_X86_REG_EAX), reg32(scratch, UC_X86_REG_EBX),
                reg32(scratch, UC_X86_REG_ECX), reg32(scratch, UC_X86_REG_EDX)};
    }
    uc_close(scratch);
    return ran;
}

} // namespace

bool enable_sse_state(uc_engine* uc, std::string& error) {
    constexpr u64 kOsfxsr = 1u << 9;
    constexpr u64 kOsxmmexcpt = 1u << 10;
    u64 cr4 = 0;
    if (!checked(uc_reg_read(uc, UC_X86_REG_CR4, &cr4), "uc_reg_read(CR4)", error))
        return false;
    cr4 |= kOsfxsr | kOsxmmexcpt;
    return checked(uc_reg_write(uc, UC_X86_REG_CR4, &cr4), "uc_reg_write(CR4)", error);
}

X86Cpuid::X86Cpuid(uc_mode mode) : long_mode_(mode == UC_MODE_64) {
    leaf1_.known = ask_unicorn(mode, 1, leaf1_.regs);
    leaf1_.regs[3] |= kLeaf1EdxAdded;
    leaf7_.known = ask_unicorn(mode, 7, leaf7_.regs);
    leaf7_.regs[1] &= ~kLeaf7EbxRemoved;
}

int X86Cpuid::hook(uc_engine* uc, void* user_data) {
    const auto* self = static_cast<const X86Cpuid*>(user_data);
    u32 leaf = reg32(uc, UC_X86_REG_EAX);
    const Answer* answer = leaf == 1                                     ? &self->leaf1_
                           : leaf == 7 && reg32(uc, UC_X86_REG_ECX) == 0 ? &self->leaf7_
                                                                         : nullptr;
    if (answer == nullptr || !answer->known)
        return 0; // Unicorn answers
    if (self->long_mode_) {
        // cpuid zero-extends into the 64-bit registers; Unicorn's 32-bit
        // register writes keep the upper halves.
        set_reg64(uc, UC_X86_REG_RAX, answer->regs[0]);
        set_reg64(uc, UC_X86_REG_RBX, answer->regs[1]);
        set_reg64(uc, UC_X86_REG_RCX, answer->regs[2]);
        set_reg64(uc, UC_X86_REG_RDX, answer->regs[3]);
    } else {
        set_reg32(uc, UC_X86_REG_EAX, answer->regs[0]);
        set_reg32(uc, UC_X86_REG_EBX, answer->regs[1]);
        set_reg32(uc, UC_X86_REG_ECX, answer->regs[2]);
        set_reg32(uc, UC_X86_REG_EDX, answer->regs[3]);
    }
    return 1; // the instruction is done
}

} // namespace crossrt::kernel
