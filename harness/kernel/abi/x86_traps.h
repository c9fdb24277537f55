// x86 exception vectors, as the trapno of a signal frame reports them
// (Intel SDM vol. 3, table 6-1).
#pragma once

#include "kernel/abi/cpu.h"
#include "kernel/types.h"

namespace crossrt::kernel {
class Process;
}

namespace crossrt::kernel::x86 {
constexpr int kDivideError = 0;
constexpr int kBreakpoint = 3;
constexpr int kInvalidOpcode = 6;
constexpr int kGeneralProtection = 13;
constexpr int kPageFault = 14;
constexpr int kAlignmentCheck = 17;

// An exception Unicorn raised (UC_HOOK_INTR's number), as the signal the
// guest's kernel sends: #DE SIGFPE, int3 SIGTRAP, #UD SIGILL, else SIGSEGV.
void raise_exception(Process& process, u32 vector);

constexpr int trap_number(FaultKind kind) {
    switch (kind) {
    case FaultKind::page_fault:
        return kPageFault;
    case FaultKind::protection:
        return kGeneralProtection;
    case FaultKind::invalid_opcode:
        return kInvalidOpcode;
    case FaultKind::alignment:
        return kAlignmentCheck;
    case FaultKind::breakpoint:
        return kBreakpoint;
    case FaultKind::divide_error:
        return kDivideError;
    }
    return kGeneralProtection;
}
} // namespace crossrt::kernel::x86
