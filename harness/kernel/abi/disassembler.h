// Instruction boundaries from Capstone. The kernel counts instructions by
// translated block and decodes each block once, when it first runs, to know
// where every instruction starts: a block cut short (a fault, an exact
// stop) is then counted exactly, and the x86 checks are decided per
// instruction.
#pragma once

#include "kernel/types.h"

#include <capstone/capstone.h>
#include <functional>

namespace crossrt::kernel {

class Disassembler {
public:
    enum class Mode { x86_32, x86_64, arm, thumb };
    // detail: operands and groups too (x86 needs them for its checks).
    Disassembler(Mode mode, bool detail);
    ~Disassembler();
    Disassembler(const Disassembler&) = delete;
    Disassembler& operator=(const Disassembler&) = delete;

    bool ok() const { return handle_ != 0 && insn_ != nullptr; }
    // Calls visit on each instruction of code[0, size) placed at pc, in
    // order. False when one cannot be decoded or the last runs past size;
    // visit has seen the ones before it.
    bool decode(const u8* code, std::size_t size, u64 pc,
                const std::function<void(const cs_insn&)>& visit) const;

private:
    csh handle_ = 0;
    cs_insn* insn_ = nullptr;
};

} // namespace crossrt::kernel
