// The NetBSD trap conventions on real instructions: arm takes the call
// number from the svc immediate (0xa00000 | n, and svc 0 with the number in
// r0), 386 takes the arguments from the user stack; results come back with
// the carry flag clear, errors as a positive errno with the carry set, and
// two-value calls fill the second result register.
#include "kernel_test_support.h"

#include <gtest/gtest.h>

namespace crossrt::kernel {
namespace {

ElfImage netbsd_image(Arch arch, std::vector<u8> code) {
    ElfImage image = test::code_image(arch, std::move(code));
    image.os = "netbsd";
    return image;
}

std::vector<u8> arm_code(std::initializer_list<u32> words) {
    std::vector<u8> bytes;
    for (u32 word : words) {
        for (int i = 0; i < 4; ++i)
            bytes.push_back(static_cast<u8>(word >> (8 * i)));
    }
    return bytes;
}

u32 arm_reg(Process& machine, int id) {
    u32 value = 0;
    uc_reg_read(machine.uc(), id, &value);
    return value;
}

constexpr u32 kArmCarry = 1u << 29;

TEST(NetbsdTrap, ArmDecodesTheSvcImmediateAndReturnsThroughTheCarry) {
    KernelOptions options;
    options.max_insns = 10'000;
    auto machine = test::boot(
        netbsd_image(Arch::arm, arm_code({
                                    0xefa00137, // svc 0xa00137: _lwp_self (311)
                                    0xe1a04000, // mov r4, r0
                                    0xe10f5000, // mrs r5, cpsr
                                    0xe30003e7, // movw r0, #999
                                    0xefa00141, // svc 0xa00141: _lwp_unpark(999, ...) (321)
                                    0xe1a06000, // mov r6, r0
                                    0xe10f7000, // mrs r7, cpsr
                                    0xe3a00014, // mov r0, #20
                                    0xef000000, // svc 0: SYS_syscall, number (getpid) in r0
                                    0xe1a08000, // mov r8, r0
                                    0xe1a09001, // mov r9, r1
                                    0xeafffffe, // b .
                                })),
        options);
    RunEnd end = machine->run();
    EXPECT_EQ(end.kind, EndKind::budget) << end.detail;
    EXPECT_EQ(arm_reg(machine->main_process(), UC_ARM_REG_R4), 1u); // the main LWP's lid
    EXPECT_EQ(arm_reg(machine->main_process(), UC_ARM_REG_R5) & kArmCarry, 0u);
    EXPECT_EQ(arm_reg(machine->main_process(), UC_ARM_REG_R6), 3u); // ESRCH, positive
    EXPECT_EQ(arm_reg(machine->main_process(), UC_ARM_REG_R7) & kArmCarry, kArmCarry);
    EXPECT_EQ(arm_reg(machine->main_process(), UC_ARM_REG_R8), 100u); // pid
    EXPECT_EQ(arm_reg(machine->main_process(), UC_ARM_REG_R9), 1u);   // ppid, the second result
}

TEST(NetbsdTrap, ArmCallsOfAnotherOsAreUnsupportedByNumber) {
    KernelOptions options;
    options.strict = true;
    auto machine = test::boot(netbsd_image(Arch::arm, arm_code({
                                                          0xef900001, // svc 0x900001 (Linux OABI)
                                                          0xeafffffe, // b .
                                                      })),
                              options);
    RunEnd end = machine->run();
    EXPECT_EQ(end.kind, EndKind::unsupported);
    EXPECT_NE(end.detail.find("syscall 4287627265"), std::string::npos) << end.detail;
}

TEST(NetbsdTrap, I386TakesArgumentsFromTheStack) {
    // push 0; push 999; push 0 (the return address slot); mov eax, 321;
    // int 0x80 (_lwp_unpark(999, 0)); mov ebx, eax; pushfd; pop ecx;
    // mov eax, 311; int 0x80 (_lwp_self); pushfd; pop edx; jmp .
    std::vector<u8> code = {0x6a, 0x00, 0x68, 0xe7, 0x03, 0x00, 0x00, 0x6a, 0x00, 0xb8, 0x41,
                            0x01, 0x00, 0x00, 0xcd, 0x80, 0x89, 0xc3, 0x9c, 0x59, 0xb8, 0x37,
                            0x01, 0x00, 0x00, 0xcd, 0x80, 0x9c, 0x5a, 0xeb, 0xfe};
    KernelOptions options;
    options.max_insns = 10'000;
    auto machine = test::boot(netbsd_image(Arch::i386, code), options);
    RunEnd end = machine->run();
    EXPECT_EQ(end.kind, EndKind::budget) << end.detail;
    u32 eax = 0, ebx = 0, ecx = 0, edx = 0;
    uc_reg_read(machine->main_process().uc(), UC_X86_REG_EAX, &eax);
    uc_reg_read(machine->main_process().uc(), UC_X86_REG_EBX, &ebx);
    uc_reg_read(machine->main_process().uc(), UC_X86_REG_ECX, &ecx);
    uc_reg_read(machine->main_process().uc(), UC_X86_REG_EDX, &edx);
    EXPECT_EQ(ebx, 3u);     // ESRCH for lid 999
    EXPECT_EQ(ecx & 1, 1u); // carry set
    EXPECT_EQ(eax, 1u);     // _lwp_self
    EXPECT_EQ(edx & 1, 0u); // carry clear
}

} // namespace
} // namespace crossrt::kernel
