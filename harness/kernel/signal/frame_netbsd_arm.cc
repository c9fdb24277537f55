// NetBSD/arm signal frame: struct sigframe_siginfo { siginfo_t sf_si;
// ucontext_t sf_uc; }, 8-byte aligned; the handler's arguments in r0-r2, lr
// at the trampoline, Thumb state from the handler's address.
#include "kernel/abi/cpu_arm.h"
#include "kernel/abi/netbsd_common.h"
#include "kernel/abi/regs.h"
#include "kernel/process.h"
#include "kernel/signal/frame_netbsd.h"

#include <cstring>

namespace crossrt::kernel {
namespace {

constexpr int kRegPc = 15; // _REG_PC in __gregs

void set_cpsr_flags(uc_engine* uc, u32 value, u32 mask) {
    u32 live = reg32(uc, UC_ARM_REG_CPSR);
    set_reg32(uc, UC_ARM_REG_CPSR, (live & ~mask) | (value & mask));
}

} // namespace

u64 push_netbsd_frame_arm(Process& machine, Lwp& lwp, const NetbsdAbi& abi,
                          const NetbsdFrame& frame) {
    const UcontextLayout& layout = abi.layout();
    // struct sigframe_siginfo { siginfo_t sf_si; ucontext_t sf_uc; },
    // 8-byte aligned; sp points at sf_si, lr at the trampoline.
    uc_engine* engine = machine.uc();
    u64 size = layout.siginfo_size + layout.size;
    u64 si = (frame.sp - size) & ~u64{7};
    u64 ucp = si + layout.siginfo_size;
    if (!write_netbsd_signal_context(machine, lwp, abi, frame, si, ucp))
        return 0;
    // The saved pc carries no Thumb bit; the saved CPSR says which state.
    u32 pc = reg32(engine, UC_ARM_REG_PC);
    if (!machine.memory().write_value(ucp + layout.mcontext + kRegPc * 4, pc & ~u32{1}))
        return 0;
    set_reg32(engine, UC_ARM_REG_R0, static_cast<u32>(frame.signo));
    set_reg32(engine, UC_ARM_REG_R1, static_cast<u32>(si));
    set_reg32(engine, UC_ARM_REG_R2, static_cast<u32>(ucp));
    set_reg32(engine, UC_ARM_REG_SP, static_cast<u32>(si));
    set_reg32(engine, UC_ARM_REG_LR, static_cast<u32>(frame.trampoline));
    bool thumb = (frame.handler & 1) != 0;
    set_cpsr_flags(engine, thumb ? arm::kCpsrThumb : 0, arm::kCpsrThumb);
    set_reg32(engine, UC_ARM_REG_PC, static_cast<u32>(frame.handler));
    return ucp;
}

} // namespace crossrt::kernel
