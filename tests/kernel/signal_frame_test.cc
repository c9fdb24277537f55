// Signal frames per arch: the handler gets (sig, info, uctx) as the ABI
// says, the interrupted pc and sp are where the runtime core reads them
// (runtime/os/signal_linux_<arch>.cc), and sigreturn restores every register
// and the mask.
#include "kernel/linux/personality.h"
#include "kernel_test_support.h"

#include <gtest/gtest.h>

namespace crossrt::kernel {
namespace {

struct ArchCase {
    Arch arch;
    u64 pc_offset; // in the ucontext, as the runtime reads it
    u64 sp_offset;
    std::vector<int> registers; // general registers that must come back
};

std::vector<ArchCase> cases() {
    return {
        {Arch::amd64,
         40 + 16 * 8,
         40 + 15 * 8,
         {UC_X86_REG_RAX, UC_X86_REG_RBX, UC_X86_REG_RCX, UC_X86_REG_RDX, UC_X86_REG_RSI,
          UC_X86_REG_RDI, UC_X86_REG_RBP, UC_X86_REG_R8, UC_X86_REG_R12, UC_X86_REG_R15}},
        {Arch::i386,
         20 + 14 * 4,
         20 + 7 * 4,
         {UC_X86_REG_EAX, UC_X86_REG_EBX, UC_X86_REG_ECX, UC_X86_REG_EDX, UC_X86_REG_ESI,
          UC_X86_REG_EDI, UC_X86_REG_EBP}},
        {Arch::arm,
         20 + 18 * 4,
         20 + 16 * 4,
         {UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3, UC_ARM_REG_R7, UC_ARM_REG_R9,
          UC_ARM_REG_R10, UC_ARM_REG_R12, UC_ARM_REG_LR}},
    };
}

u64 read_reg(uc_engine* uc, int id, Arch arch) {
    u64 value = 0;
    if (arch == Arch::amd64) {
        uc_reg_read(uc, id, &value);
    } else {
        u32 word = 0;
        uc_reg_read(uc, id, &word);
        value = word;
    }
    return value;
}

void write_reg(uc_engine* uc, int id, u64 value, Arch arch) {
    if (arch == Arch::amd64) {
        uc_reg_write(uc, id, &value);
    } else {
        u32 word = static_cast<u32>(value);
        uc_reg_write(uc, id, &word);
    }
}

class SignalFrameTest : public ::testing::TestWithParam<ArchCase> {};

TEST_P(SignalFrameTest, DeliverThenSigreturnRoundTrips) {
    const ArchCase& c = GetParam();
    auto machine = test::boot(test::code_image(c.arch, test::spin_code(c.arch)));
    uc_engine* uc = machine->main_process().uc();
    const Cpu& cpu = machine->main_process().cpu();
    const LinuxAbi& abi = lnx::linux_abi(machine->main_process());
    Lwp& lwp = machine->main_process().current();
    u64 word = static_cast<u64>(machine->main_process().word_size());

    u64 pc = test::code_address(c.arch) + (c.arch == Arch::arm ? 0 : 1);
    u64 sp = cpu.sp(uc) - 0x123; // deliberately unaligned
    cpu.set_pc(uc, pc);
    cpu.set_sp(uc, sp);
    std::vector<u64> values;
    for (std::size_t i = 0; i < c.registers.size(); ++i) {
        values.push_back(0x1000 + i * 0x11);
        write_reg(uc, c.registers[i], values.back(), c.arch);
    }

    SignalDelivery delivery;
    delivery.signo = sig::USR1;
    delivery.info = SigInfo{sig::USR1, kSiTkill, 0, 100, 0};
    delivery.handler = 0x20000;
    delivery.flags = kSaSiginfo | kSaRestorer;
    delivery.restorer = 0x30000;
    delivery.old_mask = 0xabcdef;
    delivery.sp = sp;
    ASSERT_TRUE(abi.push_signal_frame(machine->main_process(), lwp, delivery));

    u64 frame_sp = cpu.sp(uc);
    EXPECT_EQ(cpu.pc(uc), 0x20000u);
    u64 info = 0, uctx = 0;
    switch (c.arch) {
    case Arch::amd64:
        EXPECT_EQ((frame_sp + 8) % 16, 0u); // as after a call
        EXPECT_LE(frame_sp, sp - 128);      // below the red zone
        EXPECT_EQ(read_reg(uc, UC_X86_REG_RDI, c.arch), u64{sig::USR1});
        info = read_reg(uc, UC_X86_REG_RSI, c.arch);
        uctx = read_reg(uc, UC_X86_REG_RDX, c.arch);
        break;
    case Arch::i386: {
        EXPECT_EQ((frame_sp + 4) % 16, 0u);
        u64 sig_arg = 0;
        machine->main_process().read_word(frame_sp + 4, sig_arg);
        EXPECT_EQ(sig_arg, u64{sig::USR1});
        machine->main_process().read_word(frame_sp + 8, info);
        machine->main_process().read_word(frame_sp + 12, uctx);
        break;
    }
    case Arch::arm:
        EXPECT_EQ(frame_sp % 8, 0u);
        EXPECT_EQ(read_reg(uc, UC_ARM_REG_R0, c.arch), u64{sig::USR1});
        EXPECT_EQ(read_reg(uc, UC_ARM_REG_LR, c.arch), 0x30000u);
        info = read_reg(uc, UC_ARM_REG_R1, c.arch);
        uctx = read_reg(uc, UC_ARM_REG_R2, c.arch);
        break;
    }
    if (c.arch != Arch::arm) {
        u64 return_address = 0;
        machine->main_process().read_word(frame_sp, return_address);
        EXPECT_EQ(return_address, 0x30000u); // the restorer
    }
    i32 signo = 0, code = 0;
    machine->main_process().memory().read_value(info, signo);
    machine->main_process().memory().read_value(info + 8, code);
    EXPECT_EQ(signo, sig::USR1);
    EXPECT_EQ(code, kSiTkill);
    u64 seen_pc = 0, seen_sp = 0;
    machine->main_process().read_word(uctx + c.pc_offset, seen_pc);
    machine->main_process().read_word(uctx + c.sp_offset, seen_sp);
    EXPECT_EQ(seen_pc, pc);
    EXPECT_EQ(seen_sp, sp);

    // The handler runs and clobbers registers, then returns to the restorer.
    for (int id : c.registers)
        write_reg(uc, id, 0xdead, c.arch);
    if (c.arch == Arch::amd64)
        cpu.set_sp(uc, frame_sp + 8);
    else if (c.arch == Arch::i386)
        cpu.set_sp(uc, frame_sp + 4);
    u64 frame = abi.sigreturn_frame(uc, true);
    auto mask = abi.signal_return(machine->main_process(), lwp, true, frame);
    ASSERT_TRUE(mask);
    EXPECT_EQ(*mask, 0xabcdefu);
    EXPECT_EQ(cpu.pc(uc), pc);
    EXPECT_EQ(cpu.sp(uc), sp);
    for (std::size_t i = 0; i < c.registers.size(); ++i)
        EXPECT_EQ(read_reg(uc, c.registers[i], c.arch), values[i]) << "register " << i;
    (void)word;
}

INSTANTIATE_TEST_SUITE_P(PerArch, SignalFrameTest, ::testing::ValuesIn(cases()),
                         [](const auto& param) {
                             return param.param.arch == Arch::i386
                                        ? std::string("i386")
                                        : std::string(arch_name(param.param.arch));
                         });

} // namespace
} // namespace crossrt::kernel
