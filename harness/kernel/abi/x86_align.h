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

namespace crossrt::kernel {

class SseAlignmentCheck {
public:
    explicit SseAlignmentCheck(bool long_mode) : long_mode_(long_mode) {}
    // The misaligned address the instruction at pc would access, if any.
    std::optional<u64> misaligned(uc_engine* uc, u64 pc);
    void forget() { decoded_.clear(); }

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

    bool long_mode_;
    std::unordered_map<u64, Operand> decoded_;
};

} // namespace crossrt::kernel
