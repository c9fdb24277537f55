// The run loop on tiny x86 guests: deadlock detection, exact signal
// injection, the instruction budget, unsupported syscalls and --strict, and
// a time-stamp counter that reads the virtual clock.
#include "kernel/linux/table.h"
#include "kernel_test_support.h"

#include <chrono>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

namespace crossrt::kernel {
namespace {

// futex(&word, FUTEX_WAIT, 0, NULL) on a word that stays 0; then jmp .
const std::vector<u8> futex_forever = {
    0xb8, 0xca, 0x00, 0x00, 0x00,             // mov $202, %eax
    0x48, 0x8d, 0x3d, 0x0c, 0x00, 0x00, 0x00, // lea word(%rip), %rdi
    0x31, 0xf6,                               // xor %esi, %esi
    0x31, 0xd2,                               // xor %edx, %edx
    0x45, 0x31, 0xd2,                         // xor %r10d, %r10d
    0x0f, 0x05,                               // syscall
    0xeb, 0xfe,                               // jmp .
    0x90,                                     // (futex words are 4-byte aligned)
    0x00, 0x00, 0x00, 0x00,                   // word
};

// 1: inc %rax; jmp 1b
const std::vector<u8> count_forever = {0x48, 0xff, 0xc0, 0xeb, 0xfb};

// syscall 335 (no such call on amd64), exit_group(rax & 0xff)
const std::vector<u8> unknown_call = {
    0xb8, 0x4f, 0x01, 0x00, 0x00, // mov $335, %eax
    0x0f, 0x05,                   // syscall
    0x48, 0x89, 0xc7,             // mov %rax, %rdi
    0xb8, 0xe7, 0x00, 0x00, 0x00, // mov $231, %eax
    0x0f, 0x05,                   // syscall
};

TEST(RunLoop, DeadlockIsReportedWithEveryLwpWithinASecond) {
    KernelOptions options;
    options.max_insns = 100'000'000; // a missed deadlock must not spin for minutes
    auto machine = test::boot(test::code_image(Arch::amd64, futex_forever), options);
    auto start = std::chrono::steady_clock::now();
    RunEnd end = machine->run();
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(end.kind, EndKind::deadlock);
    EXPECT_LT(seconds, 1.0);
    EXPECT_NE(end.detail.find("lwp 1 (tid 100) at pc 0x400015 in futex waiting on 0x400018"),
              std::string::npos)
        << end.detail;
}

TEST(RunLoop, InjectionLandsAtExactlyTheInstruction) {
    for (u64 at : {1000u, 1001u, 123457u}) {
        KernelOptions options;
        options.injections.push_back({sig::USR1, at, 0, false});
        auto machine = test::boot(test::code_image(Arch::amd64, count_forever), options);
        RunEnd end = machine->run();
        EXPECT_EQ(end.kind, EndKind::signaled);
        EXPECT_EQ(end.status, sig::USR1);
        EXPECT_EQ(machine->main_process().total_insns(), at);
        u64 rax = 0;
        uc_reg_read(machine->main_process().uc(), UC_X86_REG_RAX, &rax);
        EXPECT_EQ(rax, (at + 1) / 2); // inc, jmp, inc, jmp, ...
        u64 expected_pc = at % 2 == 0 ? 0x400000 : 0x400003;
        EXPECT_EQ(machine->main_process().cpu().pc(machine->main_process().uc()), expected_pc);
    }
}

// nop; nop; rdtsc; mov %eax, %ebx; mov %edx, %ecx; jmp . (the same bytes
// on amd64 and 386)
const std::vector<u8> read_tsc = {0x90, 0x90, 0x0f, 0x31, 0x89, 0xc3, 0x89, 0xd1, 0xeb, 0xfe};

// The host's TSC would make every run differ (Go seeds its scheduler's
// random choices from it): rdtsc gives the virtual time at the instruction,
// one tick per nanosecond, the same in every run.
TEST(RunLoop, TimeStampCounterReadsTheVirtualClock) {
    for (Arch arch : {Arch::amd64, Arch::i386}) {
        KernelOptions options;
        options.max_insns = 1000;
        auto machine = test::boot(test::code_image(arch, read_tsc), options);
        EXPECT_EQ(machine->run().kind, EndKind::budget);
        u32 ebx = 0, ecx = 0;
        uc_reg_read(machine->main_process().uc(), UC_X86_REG_EBX, &ebx);
        uc_reg_read(machine->main_process().uc(), UC_X86_REG_ECX, &ecx);
        EXPECT_EQ(ebx, 3u) << arch_name(arch); // the third instruction
        EXPECT_EQ(ecx, 0u) << arch_name(arch);
    }
}

TEST(RunLoop, InstructionBudgetEndsTheRun) {
    KernelOptions options;
    options.max_insns = 50'000;
    auto machine = test::boot(test::code_image(Arch::amd64, count_forever), options);
    RunEnd end = machine->run();
    EXPECT_EQ(end.kind, EndKind::budget);
    EXPECT_EQ(machine->main_process().total_insns(), 50'000u);
    EXPECT_NE(end.detail.find("instruction budget"), std::string::npos);
}

TEST(RunLoop, UnknownSyscallIsEnosysOrFailsUnderStrict) {
    int pipes[2];
    ASSERT_EQ(pipe(pipes), 0);
    KernelOptions options;
    options.err_fd = pipes[1];
    auto machine = test::boot(test::code_image(Arch::amd64, unknown_call), options);
    RunEnd end = machine->run();
    close(pipes[1]);
    char buffer[256] = {};
    ssize_t n = read(pipes[0], buffer, sizeof buffer - 1);
    close(pipes[0]);
    EXPECT_EQ(end.kind, EndKind::exited);
    EXPECT_EQ(end.status, 256 - err::NOSYS); // exit_group(-ENOSYS & 0xff)
    ASSERT_GT(n, 0);
    EXPECT_NE(std::string(buffer).find("unsupported syscall 335"), std::string::npos) << buffer;

    options = KernelOptions{};
    options.strict = true;
    auto strict = test::boot(test::code_image(Arch::amd64, unknown_call), options);
    end = strict->run();
    EXPECT_EQ(end.kind, EndKind::unsupported);
    EXPECT_NE(end.detail.find("syscall 335"), std::string::npos) << end.detail;
}

} // namespace
} // namespace crossrt::kernel

namespace crossrt::kernel {
namespace {

// docs/linux-syscalls.md is generated: regenerate it with
// `build/bin/crossrt syscalls --markdown > docs/linux-syscalls.md`.
TEST(SyscallTables, DocsAreUpToDate) {
    std::ifstream file(std::string(CROSSRT_TEST_SOURCE_DIR) + "/docs/linux-syscalls.md");
    std::stringstream text;
    text << file.rdbuf();
    EXPECT_EQ(text.str(), lnx::compatibility_markdown());
}

TEST(SyscallTables, EveryImplementationNamesARealCall) {
    for (Arch arch : {Arch::amd64, Arch::i386, Arch::arm}) {
        lnx::SyscallTable table(arch);
        for (const lnx::Implementation& implementation : lnx::implementations()) {
            unsigned bit = arch == Arch::amd64  ? lnx::kAmd64
                           : arch == Arch::i386 ? lnx::kI386
                                                : lnx::kArm;
            if ((implementation.arches & bit) == 0)
                continue;
            bool found = false;
            for (const auto& [number, entry] : table.entries())
                found = found || entry.name == implementation.name;
            EXPECT_TRUE(found) << implementation.name << " is not a " << arch_name(arch) << " call";
        }
    }
    EXPECT_EQ(lnx::SyscallTable(Arch::arm).find(0x0f0005)->name, "ARM_set_tls");
    EXPECT_EQ(lnx::SyscallTable(Arch::i386).find(243)->name, "set_thread_area");
    EXPECT_EQ(lnx::SyscallTable(Arch::amd64).find(334)->support,
              lnx::Support::full); // rseq: ENOSYS by design
}

} // namespace
} // namespace crossrt::kernel
