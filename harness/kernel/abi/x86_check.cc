#include "kernel/abi/x86_check.h"

#include "kernel/abi/regs.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace crossrt::kernel {
namespace {

bool in_group(const cs_insn& insn, int group) {
    const cs_detail& detail = *insn.detail;
    return std::find(detail.groups, detail.groups + detail.groups_count, group) !=
           detail.groups + detail.groups_count;
}

bool vex_encoded(const cs_insn& insn) {
    return in_group(insn, X86_GRP_AVX) || in_group(insn, X86_GRP_AVX2) ||
           in_group(insn, X86_GRP_AVX512) || in_group(insn, X86_GRP_FMA) ||
           in_group(insn, X86_GRP_F16C) || in_group(insn, X86_GRP_XOP) ||
           in_group(insn, X86_GRP_FMA4);
}

// 128-bit memory operands that may be misaligned.
bool allows_any_alignment(unsigned id) {
    switch (id) {
    case X86_INS_MOVUPS:
    case X86_INS_MOVUPD:
    case X86_INS_MOVDQU:
    case X86_INS_LDDQU:
    case X86_INS_PCMPESTRI:
    case X86_INS_PCMPESTRM:
    case X86_INS_PCMPISTRI:
    case X86_INS_PCMPISTRM:
    case X86_INS_MASKMOVDQU:
        return true;
    default:
        return false;
    }
}

bool vex_requires_alignment(unsigned id) {
    switch (id) {
    case X86_INS_VMOVAPS:
    case X86_INS_VMOVAPD:
    case X86_INS_VMOVDQA:
    case X86_INS_VMOVDQA32:
    case X86_INS_VMOVDQA64:
    case X86_INS_VMOVNTPS:
    case X86_INS_VMOVNTPD:
    case X86_INS_VMOVNTDQ:
    case X86_INS_VMOVNTDQA:
        return true;
    default:
        return false;
    }
}

int unicorn_register(x86_reg reg) {
    switch (reg) {
    case X86_REG_RAX:
        return UC_X86_REG_RAX;
    case X86_REG_RCX:
        return UC_X86_REG_RCX;
    case X86_REG_RDX:
        return UC_X86_REG_RDX;
    case X86_REG_RBX:
        return UC_X86_REG_RBX;
    case X86_REG_RSP:
        return UC_X86_REG_RSP;
    case X86_REG_RBP:
        return UC_X86_REG_RBP;
    case X86_REG_RSI:
        return UC_X86_REG_RSI;
    case X86_REG_RDI:
        return UC_X86_REG_RDI;
    case X86_REG_R8:
        return UC_X86_REG_R8;
    case X86_REG_R9:
        return UC_X86_REG_R9;
    case X86_REG_R10:
        return UC_X86_REG_R10;
    case X86_REG_R11:
        return UC_X86_REG_R11;
    case X86_REG_R12:
        return UC_X86_REG_R12;
    case X86_REG_R13:
        return UC_X86_REG_R13;
    case X86_REG_R14:
        return UC_X86_REG_R14;
    case X86_REG_R15:
        return UC_X86_REG_R15;
    case X86_REG_EAX:
        return UC_X86_REG_EAX;
    case X86_REG_ECX:
        return UC_X86_REG_ECX;
    case X86_REG_EDX:
        return UC_X86_REG_EDX;
    case X86_REG_EBX:
        return UC_X86_REG_EBX;
    case X86_REG_ESP:
        return UC_X86_REG_ESP;
    case X86_REG_EBP:
        return UC_X86_REG_EBP;
    case X86_REG_ESI:
        return UC_X86_REG_ESI;
    case X86_REG_EDI:
        return UC_X86_REG_EDI;
    case X86_REG_R8D:
        return UC_X86_REG_R8D;
    case X86_REG_R9D:
        return UC_X86_REG_R9D;
    case X86_REG_R10D:
        return UC_X86_REG_R10D;
    case X86_REG_R11D:
        return UC_X86_REG_R11D;
    case X86_REG_R12D:
        return UC_X86_REG_R12D;
    case X86_REG_R13D:
        return UC_X86_REG_R13D;
    case X86_REG_R14D:
        return UC_X86_REG_R14D;
    case X86_REG_R15D:
        return UC_X86_REG_R15D;
    default:
        return -2; // not a register an address is made of here
    }
}

bool is_64bit_register(int uc_reg) {
    return (uc_reg >= UC_X86_REG_R8 && uc_reg <= UC_X86_REG_R15) || uc_reg == UC_X86_REG_RAX ||
           uc_reg == UC_X86_REG_RCX || uc_reg == UC_X86_REG_RDX || uc_reg == UC_X86_REG_RBX ||
           uc_reg == UC_X86_REG_RSP || uc_reg == UC_X86_REG_RBP || uc_reg == UC_X86_REG_RSI ||
           uc_reg == UC_X86_REG_RDI;
}

} // namespace

X86Check classify_x86(const cs_insn& insn, bool long_mode) {
    X86Check check;
    if (insn.id == X86_INS_RDTSC) {
        check.kind = X86Check::Kind::rdtsc;
        return check;
    }
    if (insn.id == X86_INS_RDTSCP) {
        check.kind = X86Check::Kind::rdtscp;
        return check;
    }
    const cs_x86& x86 = insn.detail->x86;
    const cs_x86_op* memory = nullptr;
    for (int i = 0; i < x86.op_count; ++i) {
        if (x86.operands[i].type == X86_OP_MEM)
            memory = &x86.operands[i];
    }
    if (memory == nullptr)
        return check;
    u8 alignment = 0;
    switch (insn.id) {
    case X86_INS_FXSAVE:
    case X86_INS_FXSAVE64:
    case X86_INS_FXRSTOR:
    case X86_INS_FXRSTOR64:
    case X86_INS_CMPXCHG16B:
        alignment = 16;
        break;
    default:
        if (vex_encoded(insn)) {
            if (vex_requires_alignment(insn.id) && memory->size >= 16)
                alignment = memory->size;
        } else if (memory->size == 16 && !allows_any_alignment(insn.id) &&
                   (in_group(insn, X86_GRP_SSE1) || in_group(insn, X86_GRP_SSE2) ||
                    in_group(insn, X86_GRP_SSE3) || in_group(insn, X86_GRP_SSSE3) ||
                    in_group(insn, X86_GRP_SSE41) || in_group(insn, X86_GRP_SSE42) ||
                    in_group(insn, X86_GRP_AES) || in_group(insn, X86_GRP_PCLMUL) ||
                    in_group(insn, X86_GRP_SHA))) {
            alignment = 16;
        }
        break;
    }
    if (alignment == 0 || x86.addr_size == 2)
        return check;
    check.kind = X86Check::Kind::aligned;
    check.alignment = alignment;
    check.length = static_cast<u8>(insn.size);
    check.address_size = x86.addr_size;
    check.displacement = memory->mem.disp;
    check.scale = memory->mem.scale;
    if (memory->mem.base == X86_REG_RIP || memory->mem.base == X86_REG_EIP) {
        check.rip_relative = true;
    } else if (memory->mem.base != X86_REG_INVALID) {
        check.base = unicorn_register(memory->mem.base);
    }
    if (memory->mem.index != X86_REG_INVALID)
        check.index = unicorn_register(memory->mem.index);
    if (check.base == -2 || check.index == -2)
        return X86Check{}; // an address of 16-bit registers: not checked
    if (memory->mem.segment == X86_REG_FS)
        check.segment = long_mode ? UC_X86_REG_FS_BASE : -1;
    else if (memory->mem.segment == X86_REG_GS)
        check.segment = long_mode ? UC_X86_REG_GS_BASE : -1;
    else if (memory->mem.segment != X86_REG_INVALID && memory->mem.segment != X86_REG_DS &&
             memory->mem.segment != X86_REG_SS && memory->mem.segment != X86_REG_ES &&
             memory->mem.segment != X86_REG_CS)
        check.segment = -1;
    if (check.segment == -1)
        return X86Check{}; // 386 segment bases: not checked
    return check;
}

std::optional<u64> misaligned_operand(uc_engine* uc, u64 pc, const X86Check& check,
                                      bool long_mode) {
    auto value = [&](int reg) -> u64 {
        return is_64bit_register(reg) ? reg64(uc, reg) : reg32(uc, reg);
    };
    u64 address = static_cast<u64>(check.displacement);
    if (check.rip_relative)
        address += pc + check.length;
    if (check.base >= 0)
        address += value(check.base);
    if (check.index >= 0)
        address += value(check.index) * static_cast<u64>(check.scale);
    if (check.segment > 0)
        address += reg64(uc, check.segment);
    if (!long_mode || check.address_size == 4)
        address &= 0xffffffffull;
    if (address % check.alignment == 0)
        return std::nullopt;
    return address;
}

} // namespace crossrt::kernel
