// Legacy SSE instructions with a 16-byte memory operand fault (#GP, so
// SIGSEGV) when it is misaligned. Real CPUs and QEMU 7.2 check this; the
// QEMU 5 inside Unicorn 2.0.1 does not, so the kernel checks it before each
// instruction runs: decoded once per pc, the effective address computed from
// the live registers.
#pragma once

#include "kernel/types.h"

#include <optional>
#include <unicorn/unicorn.h>
#include <unordered_map>
#include <vector>

namespace crossrt::kernel {

class SseAlignmentCheck {
public:
    explicit SseAlignmentCheck(bool long_mode) : long_mode_(long_mode) {}
    // The misaligned address the instruction at pc would access, if any.
    // Inline: the common answer (no aligned SSE memory operand at this pc,
    // known from an earlier visit) costs one cache probe.
    std::optional<u64> misaligned(uc_engine* uc, u64 pc) {
        const CacheEntry& entry = cache_[slot(pc)];
        if (entry.pc == pc && !entry.operand->checked)
            return std::nullopt;
        return misaligned_slow(uc, pc);
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
    };
    Operand decode(uc_engine* uc, u64 pc) const;
    u64 register_value(uc_engine* uc, int number) const;
    const Operand& lookup(uc_engine* uc, u64 pc);
    std::optional<u64> misaligned_slow(uc_engine* uc, u64 pc);
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
