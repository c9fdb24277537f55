// Which x86 instructions the kernel checks for alignment (abi/x86_check.h):
// decided from Capstone's decode, once per instruction.
#include "kernel/abi/disassembler.h"
#include "kernel/abi/x86_check.h"
#include "kernel_test_support.h"

#include <gtest/gtest.h>

namespace crossrt::kernel {
namespace {

X86Check::Kind classify(std::vector<u8> code, bool long_mode = true) {
    Disassembler disassembler(long_mode ? Disassembler::Mode::x86_64 : Disassembler::Mode::x86_32,
                              true);
    X86Check::Kind kind = X86Check::Kind::none;
    int count = 0;
    bool whole = disassembler.decode(code.data(), code.size(), 0x1000, [&](const cs_insn& insn) {
        kind = classify_x86(insn, long_mode).kind;
        ++count;
    });
    EXPECT_TRUE(whole);
    EXPECT_EQ(count, 1);
    return kind;
}

TEST(X86Check, AlignedSseMemoryOperandsAreChecked) {
    using K = X86Check::Kind;
    EXPECT_EQ(classify({0x0f, 0x28, 0x07}), K::aligned);             // movaps (%rdi), %xmm0
    EXPECT_EQ(classify({0x66, 0x0f, 0x6f, 0x07}), K::aligned);       // movdqa (%rdi), %xmm0
    EXPECT_EQ(classify({0x66, 0x0f, 0x74, 0x06}), K::aligned);       // pcmpeqb (%rsi), %xmm0
    EXPECT_EQ(classify({0x0f, 0x29, 0x44, 0x24, 0x10}), K::aligned); // movaps %xmm0, 0x10(%rsp)
    EXPECT_EQ(classify({0x48, 0x0f, 0xc7, 0x0f}), K::aligned);       // cmpxchg16b (%rdi)
    EXPECT_EQ(classify({0x0f, 0x28, 0x07}, false), K::aligned);      // 386: movaps (%edi)
    // VEX: only the aligned moves require it.
    EXPECT_EQ(classify({0xc5, 0xf8, 0x28, 0x07}), K::aligned); // vmovaps (%rdi), %xmm0
    EXPECT_EQ(classify({0xc5, 0xf9, 0x6f, 0x07}), K::aligned); // vmovdqa (%rdi), %xmm0
}

TEST(X86Check, AnyAlignmentIsAllowedHere) {
    using K = X86Check::Kind;
    EXPECT_EQ(classify({0x0f, 0x10, 0x07}), K::none);       // movups (%rdi), %xmm0
    EXPECT_EQ(classify({0xf3, 0x0f, 0x6f, 0x07}), K::none); // movdqu (%rdi), %xmm0
    EXPECT_EQ(classify({0xf2, 0x0f, 0xf0, 0x07}), K::none); // lddqu (%rdi), %xmm0
    EXPECT_EQ(classify({0x0f, 0x28, 0xc1}), K::none);       // movaps %xmm1, %xmm0
    EXPECT_EQ(classify({0xf3, 0x0f, 0x10, 0x07}), K::none); // movss (%rdi), %xmm0
    EXPECT_EQ(classify({0x66, 0x0f, 0xd6, 0x07}), K::none); // movq %xmm0, (%rdi)
    // SSE4.2 string compares (Go's bytes.Index): any alignment.
    EXPECT_EQ(classify({0x66, 0x0f, 0x3a, 0x61, 0x06, 0x0c}),
              K::none); // pcmpestri $12, (%rsi), %xmm0
    EXPECT_EQ(classify({0x66, 0x0f, 0x3a, 0x63, 0x06, 0x0c}),
              K::none); // pcmpistri $12, (%rsi), %xmm0
    // VEX arithmetic with a memory operand: no alignment required.
    EXPECT_EQ(classify({0xc5, 0xf9, 0xfe, 0x07}), K::none); // vpaddd (%rdi), %xmm0, %xmm0
    EXPECT_EQ(classify({0xc5, 0xf8, 0x10, 0x07}), K::none); // vmovups (%rdi), %xmm0
    EXPECT_EQ(classify({0x48, 0x8b, 0x07}), K::none);       // mov (%rdi), %rax
}

TEST(X86Check, TimeStampCounterReadsAreNoted) {
    EXPECT_EQ(classify({0x0f, 0x31}), X86Check::Kind::rdtsc);
    EXPECT_EQ(classify({0x0f, 0x01, 0xf9}), X86Check::Kind::rdtscp);
    EXPECT_EQ(classify({0x0f, 0x31}, false), X86Check::Kind::rdtsc);
}

// lea 8(%rip)... : movaps on a misaligned stack slot faults (#GP, SIGSEGV
// with si_code SI_KERNEL) exactly there; an aligned one runs.
TEST(X86Check, AMisalignedMovapsFaultsAtItsInstruction) {
    for (u8 misalign : {u8{0}, u8{8}}) {
        std::vector<u8> code = {
            0x48, 0x83, 0xe4, 0xf0,           // and $-16, %rsp
            0x48, 0x83, 0xec, 0x20,           // sub $32, %rsp
            0x0f, 0x29, 0x44, 0x24, misalign, // movaps %xmm0, misalign(%rsp)
            0xb8, 0xe7, 0x00, 0x00, 0x00,     // mov $231, %eax
            0x31, 0xff,                       // xor %edi, %edi
            0x0f, 0x05,                       // syscall (exit_group(0))
        };
        KernelOptions options;
        auto kernel = test::boot(test::code_image(Arch::amd64, code), options);
        RunEnd end = kernel->run();
        if (misalign == 0) {
            EXPECT_EQ(end.kind, EndKind::exited) << end.detail;
        } else {
            EXPECT_EQ(end.kind, EndKind::signaled) << end.detail;
            EXPECT_EQ(end.status, sig::SEGV);
            EXPECT_EQ(kernel->main_process().cpu().pc(kernel->main_process().uc()),
                      test::code_address(Arch::amd64) + 8);
            EXPECT_EQ(kernel->total_insns(), 2u);
        }
    }
}

} // namespace
} // namespace crossrt::kernel
