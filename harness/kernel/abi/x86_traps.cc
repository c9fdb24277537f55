#include "kernel/abi/x86_traps.h"

#include "kernel/process.h"

namespace crossrt::kernel::x86 {

void raise_exception(Process& process, u32 vector) {
    constexpr int kFpeIntdiv = 1;
    constexpr int kIllIllopn = 2;
    switch (vector) {
    case kDivideError:
        process.on_fault_trap(sig::FPE, kFpeIntdiv, 0, kDivideError);
        break;
    case kBreakpoint:
        process.on_fault_trap(sig::TRAP, kSiKernel, 0, kBreakpoint);
        break;
    case kInvalidOpcode:
        process.on_fault_trap(sig::ILL, kIllIllopn, 0, kInvalidOpcode);
        break;
    default:
        process.on_fault_trap(sig::SEGV, kSiKernel, 0, static_cast<int>(vector));
        break;
    }
}

} // namespace crossrt::kernel::x86
