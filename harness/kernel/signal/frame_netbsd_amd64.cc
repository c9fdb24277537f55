// NetBSD/amd64 signal frame: struct sigframe_siginfo { sf_ra; siginfo_t
// sf_si; ucontext_t sf_uc; } below the 128-byte red zone, so that sf_uc (and
// its FXSAVE area) is 16-byte aligned and the handler starts with
// rsp = 8 mod 16; the handler's arguments in rdi rsi rdx, and r15 = uc for
// the trampoline's setcontext.
#include "kernel/abi/netbsd_common.h"
#include "kernel/abi/regs.h"
#include "kernel/process.h"
#include "kernel/signal/frame_netbsd.h"

#include <cstring>

namespace crossrt::kernel {

u64 push_netbsd_frame_amd64(Process& machine, Lwp& lwp, const NetbsdAbi& abi,
                            const NetbsdFrame& frame) {
    const UcontextLayout& layout = abi.layout();
    // struct sigframe_siginfo { sf_ra; siginfo_t sf_si; ucontext_t sf_uc; }
    // below the 128-byte red zone, so that sf_uc (and its FXSAVE area)
    // is 16-byte aligned and the handler starts with rsp = 8 mod 16.
    uc_engine* engine = machine.uc();
    u64 size = 8 + layout.siginfo_size + layout.size;
    u64 base = ((frame.sp - 128 - size) & ~u64{15}) - 8;
    u64 si = base + 8;
    u64 ucp = si + layout.siginfo_size;
    if (!machine.write_word(base, frame.trampoline) ||
        !write_netbsd_signal_context(machine, lwp, abi, frame, si, ucp))
        return 0;
    set_reg64(engine, UC_X86_REG_RDI, static_cast<u64>(frame.signo));
    set_reg64(engine, UC_X86_REG_RSI, si);
    set_reg64(engine, UC_X86_REG_RDX, ucp);
    set_reg64(engine, UC_X86_REG_R15, ucp); // the trampoline's setcontext argument
    set_reg64(engine, UC_X86_REG_RSP, base);
    set_reg64(engine, UC_X86_REG_RIP, frame.handler);
    set_reg64(engine, UC_X86_REG_RFLAGS, reg64(engine, UC_X86_REG_RFLAGS) & ~u64{0x500}); // TF, DF
    return ucp;
}

} // namespace crossrt::kernel
