// What the kernel must look at before an x86 instruction runs, because
// Unicorn 2.0.1 gets it wrong, decoded once per pc:
// - Legacy SSE instructions with a 16-byte memory operand fault (#GP, so
//   SIGSEGV) when it is misaligned. Real CPUs and QEMU 7.2 check this; the
//   QEMU 5 inside Unicorn 2.0.1 does not. The effective address is computed
//   from the live registers.
// - rdtsc and rdtscp read the host's time-stamp counter, which would make a
//   run depend on host time (Go's cputicks seeds its scheduler's random
//   choices with it). 2.0.1 has no instruction hook for them, so the kernel
//   notes them here and overwrites their result with the virtual clock
//   once they have run.
#pragma once

#include "kernel/types.h"

#include <optional>
#include <unicorn/unicorn.h>
#include <unordered_map>
#include <vector>

namespace crossrt::kernel {

class X86InstructionCheck {
public:
    explicit X86InstructionCheck(bool long_mode) : long_mode_(long_mode) {}
    enum class Tsc : u8 { none, rdtsc, rdtscp };
    struct Finding {
        bool misaligned = false; // an aligned SSE operand is not: #GP
        Tsc reads_tsc = Tsc::none;
    };
    // Inline: the common answer (nothing to do at this pc, known from an
    // earlier visit) costs one cache probe.
    Finding check(uc_engine* uc, u64 pc) {
        const CacheEntry& entry = cache_[slot(pc)];
        if (entry.pc == pc && !entry.operand->checked && entry.operand->tsc == Tsc::none)
            return {};
        return check_slow(uc, pc);
    }
    void forget();

private:
    struct Operand {
        bool checked = false; // an aligned SSE access to memory
        bool rip_relative = false;
        int base = -1;  // register number, -1: none
        int index = -1; // register number, -1: none
        int scale = 1;
        i64 displacement = 0;
        u8 length = 0;   // the instruction's length
        int segment = 0; // 0: none, 4: fs, 5: gs
        Tsc tsc = Tsc::none;
    };
    Operand decode(uc_engine* uc, u64 pc) const;
    u64 register_value(uc_engine* uc, int number) const;
    const Operand& lookup(uc_engine* uc, u64 pc);
    Finding check_slow(uc_engine* uc, u64 pc);
    std::optional<u64> misaligned_address(uc_engine* uc, u64 pc, const Operand& operand) const;
    static std::size_t slot(u64 pc) { return (pc ^ (pc >> 14)) & (kCacheSize - 1); }

    bool long_mode_;
    std::unordered_map<u64, Operand> decoded_;
    // This runs before every instruction, so the common answer ("no aligned
    // SSE memory operand here") must be cheap: a direct-mapped cache in front
    // of the map (a hash-map lookup per instruction made amd64 guests 100x
    // slower than bare Unicorn; see bench/README.md).
    struct CacheEntry {
        u64 pc = ~0ull;
        const Operand* operand = nullptr; // into decoded_ (stable: node-based)
    };
    static constexpr std::size_t kCacheSize = 1 << 14;
    std::vector<CacheEntry> cache_ = std::vector<CacheEntry>(kCacheSize);
};

} // namespace crossrt::kernel
