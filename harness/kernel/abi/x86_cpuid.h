// CPUID as the kernel answers it on x86: Unicorn 2.0.1's own answer (taken
// once from a scratch engine of the same mode), corrected where that answer
// and what Unicorn executes disagree, so that a program choosing its code by
// CPUID (Go's internal/cpu, glibc's ifuncs) runs code that works here.
// tests/kernel/cpuid_test.cc runs an instruction of every advertised
// feature and compares its result with the architected one.
#pragma once

#include "kernel/types.h"

#include <array>
#include <string>
#include <unicorn/unicorn.h>

namespace crossrt::kernel {

// Sets CR4.OSFXSR and CR4.OSXMMEXCPT, as every x86 Linux kernel does:
// without OSFXSR, Unicorn's fxsave and fxrstor skip the XMM registers, and
// glibc's lazy binding (_dl_runtime_resolve_fxsave) lost a dynamic
// program's floating-point arguments (printf("%f", sqrt(2)) printed 0).
bool enable_sse_state(uc_engine* uc, std::string& error);

class X86Cpuid {
public:
    explicit X86Cpuid(uc_mode mode);
    // The UC_HOOK_INSN callback for UC_X86_INS_CPUID (user data: this):
    // answers leaves 1 and 7.0, leaves the others to Unicorn.
    static int hook(uc_engine* uc, void* user_data);
    // Leaf 1's EDX as the hook answers it (Linux's AT_HWCAP on x86).
    u32 leaf1_edx() const { return leaf1_.regs[3]; }

    // Unicorn 2.0.1 leaves MMX (leaf 1 EDX bit 23) and the x87 FPU (bit 0)
    // out of every model's answer, though its TCG runs both: Go's 386
    // runtime refuses to start without MMX, and glibc's ld.so refuses an
    // x86-64-baseline libc ("CPU ISA level is lower than required")
    // without FPU.
    static constexpr u32 kLeaf1EdxAdded = (1u << 23) | (1u << 0);
    // BMI2 (leaf 7 EBX bit 8): QEMU 5 inside Unicorn 2.0.1 swaps PDEP's and
    // PEXT's operands (fixed in QEMU 7), so PDEP gives wrong results; the
    // rest of BMI2 would work, but a program checks the one bit.
    static constexpr u32 kLeaf7EbxRemoved = 1u << 8;

private:
    struct Answer {
        std::array<u32, 4> regs{}; // eax, ebx, ecx, edx
        bool known = false;
    };
    bool long_mode_ = false;
    Answer leaf1_;
    Answer leaf7_;
};

} // namespace crossrt::kernel
