#include "kernel/abi/disassembler.h"

namespace crossrt::kernel {
namespace {

cs_arch capstone_arch(Disassembler::Mode mode) {
    return mode == Disassembler::Mode::x86_32 || mode == Disassembler::Mode::x86_64 ? CS_ARCH_X86
                                                                                    : CS_ARCH_ARM;
}

cs_mode capstone_mode(Disassembler::Mode mode) {
    switch (mode) {
    case Disassembler::Mode::x86_32:
        return CS_MODE_32;
    case Disassembler::Mode::x86_64:
        return CS_MODE_64;
    case Disassembler::Mode::arm:
        return CS_MODE_ARM;
    case Disassembler::Mode::thumb:
        return CS_MODE_THUMB;
    }
    return CS_MODE_ARM;
}

} // namespace

Disassembler::Disassembler(Mode mode, bool detail) {
    if (cs_open(capstone_arch(mode), capstone_mode(mode), &handle_) != CS_ERR_OK) {
        handle_ = 0;
        return;
    }
    if (detail)
        cs_option(handle_, CS_OPT_DETAIL, CS_OPT_ON);
    insn_ = cs_malloc(handle_);
}

Disassembler::~Disassembler() {
    if (insn_ != nullptr)
        cs_free(insn_, 1);
    if (handle_ != 0)
        cs_close(&handle_);
}

bool Disassembler::decode(const u8* code, std::size_t size, u64 pc,
                          const std::function<void(const cs_insn&)>& visit) const {
    if (!ok())
        return false;
    const u8* next = code;
    std::size_t left = size;
    u64 address = pc;
    while (left > 0) {
        if (!cs_disasm_iter(handle_, &next, &left, &address, insn_))
            return false;
        visit(*insn_);
    }
    return true;
}

} // namespace crossrt::kernel
