// What the kernel must look at when an x86 instruction runs, because
// Unicorn 2.0.1 gets it wrong. Decided once per instruction, when its block
// is first decoded (Capstone), so that only these instructions get an exact
// hook:
// - Legacy SSE instructions with a 16-byte memory operand fault (#GP, so
//   SIGSEGV) when it is misaligned, and so do CMPXCHG16B and FXSAVE/FXRSTOR.
//   Real CPUs and QEMU 7.2 check this; the QEMU 5 inside Unicorn 2.0.1 does
//   not. The exceptions that allow any alignment are not checked: MOVUPS,
//   MOVUPD, MOVDQU, LDDQU and the SSE4.2 string compares (PCMPESTRI & co.,
//   which Go's bytes.Index uses on unaligned data). VEX encodings require
//   alignment only in VMOVAPS/VMOVAPD/VMOVDQA and the non-temporal moves.
// - rdtsc and rdtscp read the host's time-stamp counter, which would make a
//   run depend on host time (Go's cputicks seeds its scheduler's random
//   choices with it). The kernel overwrites their result with the virtual
//   clock once they have run.
#pragma once

#include "kernel/types.h"

#include <capstone/capstone.h>
#include <optional>
#include <unicorn/unicorn.h>

namespace crossrt::kernel {

struct X86Check {
    enum class Kind : u8 { none, aligned, rdtsc, rdtscp };
    Kind kind = Kind::none;
    // For `aligned`: the operand's required alignment and its address as
    // Unicorn registers (-1: none).
    u8 alignment = 0;
    u8 length = 0;       // the instruction's length (rip-relative operands)
    u8 address_size = 0; // in bytes: 4 truncates the address
    bool rip_relative = false;
    int base = -1;
    int index = -1;
    int scale = 1;
    int segment = 0; // 0: none, else UC_X86_REG_FS_BASE or UC_X86_REG_GS_BASE
    i64 displacement = 0;
};

// The check an instruction needs (Kind::none for nearly all). insn must
// have been decoded with detail.
X86Check classify_x86(const cs_insn& insn, bool long_mode);

// The misaligned address of a checked operand with the live registers, or
// nothing when it is aligned (or cannot be computed: 386 segment bases).
std::optional<u64> misaligned_operand(uc_engine* uc, u64 pc, const X86Check& check, bool long_mode);

} // namespace crossrt::kernel
