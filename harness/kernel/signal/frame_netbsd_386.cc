// NetBSD/i386 signal frame: struct sigframe_siginfo { sf_ra; sf_signum;
// sf_sip; sf_ucp; siginfo_t sf_si; ucontext_t sf_uc; }, the handler's
// arguments on the stack.
#include "kernel/abi/netbsd_common.h"
#include "kernel/abi/regs.h"
#include "kernel/process.h"
#include "kernel/signal/frame_netbsd.h"

#include <cstring>

namespace crossrt::kernel {

u64 push_netbsd_frame_386(Process& machine, Lwp& lwp, const NetbsdAbi& abi,
                          const NetbsdFrame& frame) {
    const UcontextLayout& layout = abi.layout();
    // struct sigframe_siginfo { sf_ra; sf_signum; sf_sip; sf_ucp;
    // siginfo_t sf_si; ucontext_t sf_uc; }: the handler finds its three
    // arguments on the stack, and its return goes to the trampoline,
    // which finds sf_uc 140 bytes above its stack pointer.
    uc_engine* engine = machine.uc();
    u64 size = 16 + layout.siginfo_size + layout.size;
    u64 base = ((frame.sp - size) & ~u64{15}) - 4;
    u64 si = base + 16;
    u64 ucp = si + layout.siginfo_size;
    if (!machine.write_word(base, frame.trampoline) ||
        !machine.write_word(base + 4, static_cast<u64>(frame.signo)) ||
        !machine.write_word(base + 8, si) || !machine.write_word(base + 12, ucp) ||
        !write_netbsd_signal_context(machine, lwp, abi, frame, si, ucp))
        return 0;
    set_reg32(engine, UC_X86_REG_ESP, static_cast<u32>(base));
    set_reg32(engine, UC_X86_REG_EIP, static_cast<u32>(frame.handler));
    set_reg32(engine, UC_X86_REG_EFLAGS, reg32(engine, UC_X86_REG_EFLAGS) & ~u32{0x500});
    return ucp;
}

} // namespace crossrt::kernel
