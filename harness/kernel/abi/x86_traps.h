// x86 exception vectors, as the trapno of a signal frame reports them
// (Intel SDM vol. 3, table 6-1).
#pragma once

#include "kernel/abi/cpu.h"

namespace crossrt::kernel::x86 {
constexpr int kDivideError = 0;
constexpr int kBreakpoint = 3;
constexpr int kInvalidOpcode = 6;
constexpr int kGeneralProtection = 13;
constexpr int kPageFault = 14;
constexpr int kAlignmentCheck = 17;

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
