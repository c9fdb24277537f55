#include "kernel/abi/x86_check.h"

#include "kernel/abi/regs.h"

#include <array>
#include <cstring>

namespace crossrt::kernel {
namespace {

// Opcodes after 0F (one-byte table), by prefix: which take an m128 that must
// be aligned. Scalar (F2/F3) forms and MMX (no 66) integer forms do not.
bool aligned_0f(u8 opcode, bool has66) {
    switch (opcode) {
    case 0x28:
    case 0x29:
    case 0x2B: // movaps/pd, movntps/pd
    case 0x14:
    case 0x15: // unpck[lh]ps/pd
    case 0x51:
    case 0x54:
    case 0x55:
    case 0x56:
    case 0x57:
    case 0x58:
    case 0x59:
    case 0x5C:
    case 0x5D:
    case 0x5E:
    case 0x5F:
    case 0xC2:
    case 0xC6: // cmpps, shufps
    case 0x5B: // cvtdq2ps / cvtps2dq
        return true;
    case 0x5A:
    case 0xE6: // cvtpd2ps, cvttpd2dq
        return has66;
    default:
        break;
    }
    if (!has66)
        return false;
    if ((opcode >= 0x60 && opcode <= 0x6D) || opcode == 0x6F || opcode == 0x70 ||
        (opcode >= 0x74 && opcode <= 0x76) || opcode == 0x7F)
        return true;
    if (opcode >= 0xD1 && opcode <= 0xFE) {
        return opcode != 0xD6 && opcode != 0xD7 && opcode != 0xF0 && opcode != 0xF7 &&
               opcode != 0xFF;
    }
    return false;
}

bool aligned_0f38(u8 opcode) {
    return opcode <= 0x0B || opcode == 0x10 || opcode == 0x14 || opcode == 0x15 || opcode == 0x17 ||
           (opcode >= 0x1C && opcode <= 0x1E) || (opcode >= 0x28 && opcode <= 0x2B) ||
           (opcode >= 0x37 && opcode <= 0x41);
}

bool aligned_0f3a(u8 opcode) {
    return (opcode >= 0x08 && opcode <= 0x0F) || (opcode >= 0x40 && opcode <= 0x42) ||
           opcode == 0x44 || (opcode >= 0x60 && opcode <= 0x63);
}

constexpr int kRegs64[16] = {UC_X86_REG_RAX, UC_X86_REG_RCX, UC_X86_REG_RDX, UC_X86_REG_RBX,
                             UC_X86_REG_RSP, UC_X86_REG_RBP, UC_X86_REG_RSI, UC_X86_REG_RDI,
                             UC_X86_REG_R8,  UC_X86_REG_R9,  UC_X86_REG_R10, UC_X86_REG_R11,
                             UC_X86_REG_R12, UC_X86_REG_R13, UC_X86_REG_R14, UC_X86_REG_R15};
constexpr int kRegs32[8] = {UC_X86_REG_EAX, UC_X86_REG_ECX, UC_X86_REG_EDX, UC_X86_REG_EBX,
                            UC_X86_REG_ESP, UC_X86_REG_EBP, UC_X86_REG_ESI, UC_X86_REG_EDI};

} // namespace

u64 X86InstructionCheck::register_value(uc_engine* uc, int number) const {
    u64 value = 0;
    if (long_mode_) {
        value = reg64(uc, kRegs64[number]);
    } else {
        value = reg32(uc, kRegs32[number & 7]);
    }
    return value;
}

X86InstructionCheck::Operand X86InstructionCheck::decode(uc_engine* uc, u64 pc) const {
    Operand operand;
    std::array<u8, 16> code{};
    if (uc_mem_read(uc, pc, code.data(), code.size()) != UC_ERR_OK &&
        uc_mem_read(uc, pc, code.data(), 8) != UC_ERR_OK)
        return operand;
    std::size_t at = 0;
    bool has66 = false, rep = false, address_size = false;
    for (; at < 8; ++at) {
        u8 byte = code[at];
        if (byte == 0x66)
            has66 = true;
        else if (byte == 0xF2 || byte == 0xF3)
            rep = true;
        else if (byte == 0x67)
            address_size = true;
        else if (byte == 0x64)
            operand.segment = 4;
        else if (byte == 0x65)
            operand.segment = 5;
        else if (byte == 0xF0 || byte == 0x2E || byte == 0x36 || byte == 0x3E || byte == 0x26)
            continue;
        else
            break;
    }
    u8 rex = 0;
    if (long_mode_ && (code[at] & 0xF0) == 0x40)
        rex = code[at++];
    if (code[at] == 0x0F && code[at + 1] == 0x31) {
        operand.tsc = Tsc::rdtsc;
        return operand;
    }
    if (code[at] == 0x0F && code[at + 1] == 0x01 && code[at + 2] == 0xF9) {
        operand.tsc = Tsc::rdtscp;
        return operand;
    }
    if (rep || address_size || code[at] != 0x0F)
        return operand;
    ++at;
    bool checked = false;
    bool immediate = false;
    if (code[at] == 0x38) {
        ++at;
        checked = has66 && aligned_0f38(code[at]);
    } else if (code[at] == 0x3A) {
        ++at;
        checked = has66 && aligned_0f3a(code[at]);
        immediate = true;
    } else {
        checked = aligned_0f(code[at], has66);
        immediate = code[at] == 0x70 || code[at] == 0xC2 || code[at] == 0xC6;
    }
    ++at;
    if (!checked || at >= 15)
        return operand;
    u8 modrm = code[at++];
    int mod = modrm >> 6;
    int rm = modrm & 7;
    if (mod == 3)
        return operand;
    if (rm == 4) {
        u8 sib = code[at++];
        operand.scale = 1 << (sib >> 6);
        int index = ((sib >> 3) & 7) | ((rex & 2) != 0 ? 8 : 0);
        if (index != 4)
            operand.index = index;
        int base = (sib & 7) | ((rex & 1) != 0 ? 8 : 0);
        if ((sib & 7) == 5 && mod == 0) {
            std::int32_t disp;
            std::memcpy(&disp, &code[at], 4);
            at += 4;
            operand.displacement = disp;
        } else {
            operand.base = base;
        }
    } else if (rm == 5 && mod == 0) {
        std::int32_t disp;
        std::memcpy(&disp, &code[at], 4);
        at += 4;
        operand.displacement = disp;
        operand.rip_relative = long_mode_;
    } else {
        operand.base = rm | ((rex & 1) != 0 ? 8 : 0);
    }
    if (mod == 1) {
        operand.displacement = static_cast<std::int8_t>(code[at++]);
    } else if (mod == 2) {
        std::int32_t disp;
        std::memcpy(&disp, &code[at], 4);
        at += 4;
        operand.displacement = disp;
    }
    if (immediate)
        ++at;
    operand.length = static_cast<u8>(at);
    operand.checked = at <= 15;
    return operand;
}

void X86InstructionCheck::forget() {
    decoded_.clear();
    cache_.assign(kCacheSize, CacheEntry{});
}

const X86InstructionCheck::Operand& X86InstructionCheck::lookup(uc_engine* uc, u64 pc) {
    CacheEntry& entry = cache_[slot(pc)];
    if (entry.pc == pc)
        return *entry.operand;
    auto it = decoded_.find(pc);
    if (it == decoded_.end())
        it = decoded_.emplace(pc, decode(uc, pc)).first;
    entry = CacheEntry{pc, &it->second};
    return it->second;
}

X86InstructionCheck::Finding X86InstructionCheck::check_slow(uc_engine* uc, u64 pc) {
    const Operand& operand = lookup(uc, pc);
    Finding finding;
    finding.reads_tsc = operand.tsc;
    finding.misaligned = operand.checked && misaligned_address(uc, pc, operand).has_value();
    return finding;
}

std::optional<u64> X86InstructionCheck::misaligned_address(uc_engine* uc, u64 pc,
                                                           const Operand& operand) const {
    u64 address = static_cast<u64>(operand.displacement);
    if (operand.rip_relative)
        address += pc + operand.length;
    if (operand.base >= 0)
        address += register_value(uc, operand.base);
    if (operand.index >= 0)
        address += register_value(uc, operand.index) * static_cast<u64>(operand.scale);
    if (operand.segment != 0) {
        if (!long_mode_)
            return std::nullopt; // 386 segment bases: not checked
        u64 base = reg64(uc, operand.segment == 4 ? UC_X86_REG_FS_BASE : UC_X86_REG_GS_BASE);
        address += base;
    }
    if (!long_mode_)
        address &= 0xffffffffull;
    if (address % 16 == 0)
        return std::nullopt;
    return address;
}

} // namespace crossrt::kernel
