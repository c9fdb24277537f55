// Counting by block (harness/kernel/cpu_loop.cc, blocks.h, replay.h): a
// block cut short by a fault is counted to the faulting instruction, which
// is where the guest sees pc, although Unicorn leaves pc at the block's
// start when no instruction hook runs there; the run is repeated with that
// block hooked, and gives the trace that hooking every instruction gives.
#include "kernel/replay.h"
#include "kernel_test_support.h"
#include "scratch_dir.h"

#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <gtest/gtest.h>
#include <regex>
#include <sstream>

namespace crossrt::kernel {
namespace {

namespace fs = std::filesystem;
using crossrt::test::read_file;

struct FaultCase {
    const char* name;
    Arch arch;
    std::vector<u8> code;
    u64 fault_pc; // the faulting access
    u64 executed; // the instructions before it
};

// Two or three register moves, an access to unmapped 0x5000, more moves, a
// spin: one block, whose fault is neither at its start nor at its end.
std::vector<FaultCase> fault_cases() {
    const std::vector<u8> amd64_head = {0xb8, 0x01, 0x00, 0x00, 0x00,  // mov $1, %eax
                                        0xb9, 0x02, 0x00, 0x00, 0x00}; // mov $2, %ecx
    const std::vector<u8> tail = {0xb9, 0x03, 0x00, 0x00, 0x00,        // mov $3, %ecx
                                  0xeb, 0xfe};                         // jmp .
    auto x86 = [&](std::vector<u8> access) {
        std::vector<u8> code = amd64_head;
        code.insert(code.end(), access.begin(), access.end());
        code.insert(code.end(), tail.begin(), tail.end());
        return code;
    };
    auto arm = [](u32 access) {
        std::vector<u32> words = {0xe3a00001,  // mov r0, #1
                                  0xe3a01002,  // mov r1, #2
                                  0xe3a03a05,  // mov r3, #0x5000
                                  access,      // str/ldr r2, [r3]
                                  0xe3a01003,  // mov r1, #3
                                  0xeafffffe}; // b .
        std::vector<u8> code(words.size() * 4);
        std::memcpy(code.data(), words.data(), code.size());
        return code;
    };
    u64 x86_at = test::code_address(Arch::amd64) + 10;
    u64 i386_at = test::code_address(Arch::i386) + 10;
    return {
        {"amd64 store", Arch::amd64, x86({0x48, 0x89, 0x14, 0x25, 0x00, 0x50, 0x00, 0x00}), x86_at,
         2},
        {"amd64 load", Arch::amd64, x86({0x48, 0x8b, 0x14, 0x25, 0x00, 0x50, 0x00, 0x00}), x86_at,
         2},
        {"386 store", Arch::i386, x86({0x89, 0x15, 0x00, 0x50, 0x00, 0x00}), i386_at, 2},
        {"386 load", Arch::i386, x86({0x8b, 0x15, 0x00, 0x50, 0x00, 0x00}), i386_at, 2},
        {"arm store", Arch::arm, arm(0xe5832000), test::code_address(Arch::arm) + 12, 3},
        {"arm load", Arch::arm, arm(0xe5932000), test::code_address(Arch::arm) + 12, 3},
    };
}

class Counting : public ::testing::Test {
protected:
    // The run's trace, and how many attempts it took.
    std::pair<std::string, int> run(const FaultCase& c, bool every_instruction) {
        KernelOptions options;
        options.argv = {"test-guest"};
        options.trace_path = (dir_ / "trace").string();
        options.every_instruction = every_instruction;
        std::string error;
        auto result = run_program(test::code_image(c.arch, c.code), options, error);
        EXPECT_TRUE(result) << error;
        if (!result)
            return {};
        EXPECT_EQ(result->end.kind, EndKind::signaled) << c.name << ": " << result->end.detail;
        EXPECT_EQ(result->end.status, sig::SEGV) << c.name;
        return {read_file(options.trace_path), result->attempts};
    }
    crossrt::test::ScratchDir scratch_;
    const fs::path& dir_ = scratch_.path();
};

TEST_F(Counting, AFaultInsideABlockHasItsExactPcAndCount) {
    for (const FaultCase& c : fault_cases()) {
        auto [trace, attempts] = run(c, false);
        std::smatch match;
        ASSERT_TRUE(std::regex_search(
            trace, match,
            std::regex(R"((\d+) lwp 1: fault SIGSEGV at pc (0x[0-9a-f]+) addr 0x5000)")))
            << c.name << ":\n"
            << trace;
        EXPECT_EQ(match[2].str(), fmt::format("{:#x}", c.fault_pc)) << c.name;
        EXPECT_EQ(std::stoull(match[1].str()), c.executed) << c.name;
        // Unicorn kept no exact pc for the block without an instruction
        // hook: the second attempt hooked it.
        EXPECT_EQ(attempts, 2) << c.name;
    }
}

TEST_F(Counting, BlockCountingGivesTheTraceOfEveryInstructionCounting) {
    for (const FaultCase& c : fault_cases()) {
        auto [by_block, block_attempts] = run(c, false);
        auto [every, every_attempts] = run(c, true);
        EXPECT_EQ(by_block, every) << c.name;
        EXPECT_EQ(every_attempts, 1) << c.name;
    }
}

// QEMU stops the engine after an arm YIELD, WFE or WFI (to let another
// vCPU run, or to halt); in user mode on real hardware they run on like
// NOPs. Go's spin loops (procyield) are YIELDs: they once died by SIGILL.
TEST_F(Counting, ArmHintsRunOnAndCount) {
    std::vector<u32> words = {0xe3a00000,  // mov r0, #0
                              0xe320f001,  // 1: yield
                              0xe320f002,  // wfe
                              0xe320f003,  // wfi
                              0xe320f004,  // sev
                              0xe2800001,  // add r0, r0, #1
                              0xe350000a,  // cmp r0, #10
                              0x1afffff8,  // bne 1b
                              0xe3a0002a,  // mov r0, #42
                              0xe3a070f8,  // mov r7, #248 (exit_group)
                              0xef000000}; // svc 0
    std::vector<u8> code(words.size() * 4);
    std::memcpy(code.data(), words.data(), code.size());
    std::string traces[2];
    for (int every = 0; every < 2; ++every) {
        KernelOptions options;
        options.argv = {"test-guest"};
        options.trace_path = (dir_ / "trace").string();
        options.every_instruction = every == 1;
        std::string error;
        auto result = run_program(test::code_image(Arch::arm, code), options, error);
        ASSERT_TRUE(result) << error;
        EXPECT_EQ(result->end.kind, EndKind::exited) << result->end.detail;
        EXPECT_EQ(result->end.status, 42);
        traces[every] = read_file(options.trace_path);
    }
    // 1 + 10 rounds of 7 + 3: the svc is the 74th instruction.
    EXPECT_NE(traces[0].find("          74 lwp 1: exit_group(0x2a)"), std::string::npos)
        << traces[0];
    EXPECT_EQ(traces[0], traces[1]);
}

} // namespace
} // namespace crossrt::kernel
