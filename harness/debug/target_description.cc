#include "debug/target_description.h"

#include <array>
#include <fmt/format.h>
#include <unicorn/unicorn.h>
#include <vector>

namespace crossrt::debug {
namespace {

constexpr const char* kI386Core = "org.gnu.gdb.i386.core";
constexpr const char* kI386Sse = "org.gnu.gdb.i386.sse";
constexpr const char* kI386Segments = "org.gnu.gdb.i386.segments";
// gdb's amd64 and i386 Linux support is set up only when the description
// has this feature (orig_rax / orig_eax): catch syscall needs it.
constexpr const char* kI386Linux = "org.gnu.gdb.i386.linux";
constexpr const char* kArmCore = "org.gnu.gdb.arm.core";
constexpr const char* kArmVfp = "org.gnu.gdb.arm.vfp";

// The x87 registers both x86 descriptions end their core feature with, in
// gdb's order, numbered from `first`.
void add_x87(std::vector<RegisterInfo>& regs) {
    int n = static_cast<int>(regs.size());
    static constexpr const char* st_names[] = {"st0", "st1", "st2", "st3",
                                               "st4", "st5", "st6", "st7"};
    for (int i = 0; i < 8; ++i)
        regs.push_back({st_names[i], 80, "i387_ext", kI386Core, UC_X86_REG_ST0 + i, n++});
    const std::array<std::pair<const char*, int>, 8> control = {{{"fctrl", UC_X86_REG_FPCW},
                                                                 {"fstat", UC_X86_REG_FPSW},
                                                                 {"ftag", UC_X86_REG_FPTAG},
                                                                 {"fiseg", UC_X86_REG_FCS},
                                                                 {"fioff", UC_X86_REG_FIP},
                                                                 {"foseg", UC_X86_REG_FDS},
                                                                 {"fooff", UC_X86_REG_FDP},
                                                                 {"fop", UC_X86_REG_FOP}}};
    for (const auto& [name, id] : control)
        regs.push_back({name, 32, "int", kI386Core, id, n++});
}

void add_sse(std::vector<RegisterInfo>& regs, int count) {
    static constexpr const char* xmm_names[] = {"xmm0",  "xmm1",  "xmm2",  "xmm3", "xmm4",  "xmm5",
                                                "xmm6",  "xmm7",  "xmm8",  "xmm9", "xmm10", "xmm11",
                                                "xmm12", "xmm13", "xmm14", "xmm15"};
    int n = static_cast<int>(regs.size());
    for (int i = 0; i < count; ++i)
        regs.push_back({xmm_names[i], 128, "uint128", kI386Sse, UC_X86_REG_XMM0 + i, n++});
    regs.push_back({"mxcsr", 32, "int", kI386Sse, UC_X86_REG_MXCSR, n});
}

std::vector<RegisterInfo> amd64_registers() {
    std::vector<RegisterInfo> regs;
    const std::array<std::tuple<const char*, int, const char*, int>, 24> core = {{
        {"rax", 64, "int64", UC_X86_REG_RAX},    {"rbx", 64, "int64", UC_X86_REG_RBX},
        {"rcx", 64, "int64", UC_X86_REG_RCX},    {"rdx", 64, "int64", UC_X86_REG_RDX},
        {"rsi", 64, "int64", UC_X86_REG_RSI},    {"rdi", 64, "int64", UC_X86_REG_RDI},
        {"rbp", 64, "data_ptr", UC_X86_REG_RBP}, {"rsp", 64, "data_ptr", UC_X86_REG_RSP},
        {"r8", 64, "int64", UC_X86_REG_R8},      {"r9", 64, "int64", UC_X86_REG_R9},
        {"r10", 64, "int64", UC_X86_REG_R10},    {"r11", 64, "int64", UC_X86_REG_R11},
        {"r12", 64, "int64", UC_X86_REG_R12},    {"r13", 64, "int64", UC_X86_REG_R13},
        {"r14", 64, "int64", UC_X86_REG_R14},    {"r15", 64, "int64", UC_X86_REG_R15},
        {"rip", 64, "code_ptr", UC_X86_REG_RIP}, {"eflags", 32, "int32", UC_X86_REG_EFLAGS},
        {"cs", 32, "int32", UC_X86_REG_CS},      {"ss", 32, "int32", UC_X86_REG_SS},
        {"ds", 32, "int32", UC_X86_REG_DS},      {"es", 32, "int32", UC_X86_REG_ES},
        {"fs", 32, "int32", UC_X86_REG_FS},      {"gs", 32, "int32", UC_X86_REG_GS},
    }};
    int n = 0;
    for (const auto& [name, bits, type, id] : core)
        regs.push_back({name, bits, type, kI386Core, id, n++});
    add_x87(regs);
    add_sse(regs, 16);
    n = static_cast<int>(regs.size());
    regs.push_back({"fs_base", 64, "int64", kI386Segments, UC_X86_REG_FS_BASE, n++});
    regs.push_back({"gs_base", 64, "int64", kI386Segments, UC_X86_REG_GS_BASE, n++});
    regs.push_back({"orig_rax", 64, "int", kI386Linux, kSyscallNumberRegister, n});
    return regs;
}

std::vector<RegisterInfo> i386_registers() {
    std::vector<RegisterInfo> regs;
    const std::array<std::tuple<const char*, const char*, int>, 16> core = {{
        {"eax", "int32", UC_X86_REG_EAX},
        {"ecx", "int32", UC_X86_REG_ECX},
        {"edx", "int32", UC_X86_REG_EDX},
        {"ebx", "int32", UC_X86_REG_EBX},
        {"esp", "data_ptr", UC_X86_REG_ESP},
        {"ebp", "data_ptr", UC_X86_REG_EBP},
        {"esi", "int32", UC_X86_REG_ESI},
        {"edi", "int32", UC_X86_REG_EDI},
        {"eip", "code_ptr", UC_X86_REG_EIP},
        {"eflags", "int32", UC_X86_REG_EFLAGS},
        {"cs", "int32", UC_X86_REG_CS},
        {"ss", "int32", UC_X86_REG_SS},
        {"ds", "int32", UC_X86_REG_DS},
        {"es", "int32", UC_X86_REG_ES},
        {"fs", "int32", UC_X86_REG_FS},
        {"gs", "int32", UC_X86_REG_GS},
    }};
    int n = 0;
    for (const auto& [name, type, id] : core)
        regs.push_back({name, 32, type, kI386Core, id, n++});
    add_x87(regs);
    add_sse(regs, 8);
    regs.push_back(
        {"orig_eax", 32, "int", kI386Linux, kSyscallNumberRegister, static_cast<int>(regs.size())});
    return regs;
}

std::vector<RegisterInfo> arm_registers() {
    std::vector<RegisterInfo> regs;
    static constexpr const char* names[] = {"r0", "r1", "r2",  "r3",  "r4",  "r5", "r6", "r7",
                                            "r8", "r9", "r10", "r11", "r12", "sp", "lr", "pc"};
    const int ids[] = {UC_ARM_REG_R0,  UC_ARM_REG_R1, UC_ARM_REG_R2,  UC_ARM_REG_R3,
                       UC_ARM_REG_R4,  UC_ARM_REG_R5, UC_ARM_REG_R6,  UC_ARM_REG_R7,
                       UC_ARM_REG_R8,  UC_ARM_REG_R9, UC_ARM_REG_R10, UC_ARM_REG_R11,
                       UC_ARM_REG_R12, UC_ARM_REG_SP, UC_ARM_REG_LR,  UC_ARM_REG_PC};
    for (int i = 0; i < 16; ++i) {
        const char* type = i == 13 ? "data_ptr" : i == 15 ? "code_ptr" : "uint32";
        regs.push_back({names[i], 32, type, kArmCore, ids[i], i});
    }
    // 16 to 24 were the FPA's, which no description has any more.
    regs.push_back({"cpsr", 32, "int", kArmCore, UC_ARM_REG_CPSR, 25});
    static constexpr const char* d_names[] = {
        "d0",  "d1",  "d2",  "d3",  "d4",  "d5",  "d6",  "d7",  "d8",  "d9",  "d10",
        "d11", "d12", "d13", "d14", "d15", "d16", "d17", "d18", "d19", "d20", "d21",
        "d22", "d23", "d24", "d25", "d26", "d27", "d28", "d29", "d30", "d31"};
    int n = 26;
    for (int i = 0; i < 32; ++i)
        regs.push_back({d_names[i], 64, "ieee_double", kArmVfp, UC_ARM_REG_D0 + i, n++});
    regs.push_back({"fpscr", 32, "int", kArmVfp, UC_ARM_REG_FPSCR, n});
    return regs;
}

const std::vector<RegisterInfo>& table(int which) {
    static const std::vector<RegisterInfo> amd64 = amd64_registers();
    static const std::vector<RegisterInfo> i386 = i386_registers();
    static const std::vector<RegisterInfo> arm = arm_registers();
    return which == 0 ? amd64 : which == 1 ? i386 : arm;
}

} // namespace

std::string TargetDescription::xml(std::string_view osabi) const {
    std::string text = "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
                       "<target version=\"1.0\">\n";
    text += fmt::format("  <architecture>{}</architecture>\n", architecture);
    if (!osabi.empty())
        text += fmt::format("  <osabi>{}</osabi>\n", osabi);
    const char* open = nullptr;
    for (const RegisterInfo& reg : registers) {
        if (open == nullptr || std::string_view(open) != reg.feature) {
            if (open != nullptr)
                text += "  </feature>\n";
            open = reg.feature;
            text += fmt::format("  <feature name=\"{}\">\n", open);
        }
        text += fmt::format("    <reg name=\"{}\" bitsize=\"{}\" type=\"{}\" regnum=\"{}\"/>\n",
                            reg.name, reg.bits, reg.type, reg.regnum);
    }
    if (open != nullptr)
        text += "  </feature>\n";
    return text + "</target>\n";
}

const RegisterInfo* TargetDescription::by_regnum(int regnum) const {
    for (const RegisterInfo& reg : registers) {
        if (reg.regnum == regnum)
            return &reg;
    }
    return nullptr;
}

const TargetDescription* find_description(std::string_view arch) {
    static const TargetDescription amd64{"i386:x86-64", table(0), 16, 8};
    static const TargetDescription i386{"i386", table(1), 8, 4};
    static const TargetDescription arm{"arm", table(2), 15, 4};
    if (arch == "amd64")
        return &amd64;
    if (arch == "386")
        return &i386;
    if (arch == "arm")
        return &arm;
    return nullptr;
}

} // namespace crossrt::debug
