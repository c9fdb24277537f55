// Linux amd64 rt signal frames (arch/x86/kernel/signal.c, asm/sigframe.h):
//   frame+0    pretcode (the SA_RESTORER trampoline)
//   frame+8    struct ucontext: uc_flags, uc_link, uc_stack (24 bytes),
//              uc_mcontext at +40 (struct sigcontext, 256 bytes: r8..r15,
//              rdi rsi rbp rbx rdx rax rcx rsp rip eflags, cs gs fs ss,
//              err trapno oldmask cr2 fpstate reserved[8]), uc_sigmask at +296
//   frame+312  struct siginfo (128 bytes)
// The runtime reads pc at uc+40+16*8 and sp at uc+40+15*8.
#include "kernel/abi/regs.h"
#include "kernel/process.h"
#include "kernel/signal/frame_linux.h"

namespace crossrt::kernel {
namespace {

constexpr std::size_t kUcontext = 8;
constexpr std::size_t kMcontext = kUcontext + 40;
constexpr std::size_t kSigmask = kUcontext + 296;
constexpr std::size_t kSiginfo = kUcontext + 304;
constexpr std::size_t kFrameSize = kSiginfo + kSiginfoSize;

// sigcontext slots 0..17, in the kernel's order.
constexpr int kGpRegs[] = {UC_X86_REG_R8,  UC_X86_REG_R9,    UC_X86_REG_R10, UC_X86_REG_R11,
                           UC_X86_REG_R12, UC_X86_REG_R13,   UC_X86_REG_R14, UC_X86_REG_R15,
                           UC_X86_REG_RDI, UC_X86_REG_RSI,   UC_X86_REG_RBP, UC_X86_REG_RBX,
                           UC_X86_REG_RDX, UC_X86_REG_RAX,   UC_X86_REG_RCX, UC_X86_REG_RSP,
                           UC_X86_REG_RIP, UC_X86_REG_EFLAGS};
constexpr std::size_t kSlotCsGsFsSs = 18;
constexpr std::size_t kSlotErr = 19;
constexpr std::size_t kSlotTrapno = 20;
constexpr std::size_t kSlotOldmask = 21;
constexpr std::size_t kSlotCr2 = 22;

// The flags a user may change (the kernel's FIX_EFLAGS).
constexpr u64 kUserFlags =
    0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x100 | 0x400 | 0x800 | 0x40000 | 0x200000 | 0x10000;

} // namespace

bool push_frame_amd64(Process& machine, Lwp&, const SignalDelivery& delivery) {
    uc_engine* uc = machine.uc();
    u64 sp = delivery.sp;
    if (sp == reg64(uc, UC_X86_REG_RSP))
        sp -= 128; // the red zone of the interrupted code
    u64 frame = ((sp - kFrameSize) & ~u64{15}) - 8;

    FrameBuffer buffer(kFrameSize);
    buffer.put<u64>(0, delivery.restorer);
    buffer.put<u64>(kUcontext + 0, 0x6); // UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS
    buffer.put<u64>(kUcontext + 8, 0);
    buffer.put<u64>(kUcontext + 16, delivery.altstack.sp);
    buffer.put<i32>(kUcontext + 24, altstack_flags(delivery));
    buffer.put<u64>(kUcontext + 32, delivery.altstack.size);
    for (std::size_t slot = 0; slot < std::size(kGpRegs); ++slot)
        buffer.put<u64>(kMcontext + slot * 8, reg64(uc, kGpRegs[slot]));
    buffer.put<u16>(kMcontext + kSlotCsGsFsSs * 8 + 0, 0x33);
    buffer.put<u16>(kMcontext + kSlotCsGsFsSs * 8 + 6, 0x2b);
    buffer.put<u64>(kMcontext + kSlotErr * 8, 0);
    buffer.put<u64>(kMcontext + kSlotTrapno * 8, static_cast<u64>(delivery.info.trapno));
    buffer.put<u64>(kMcontext + kSlotOldmask * 8, delivery.old_mask);
    buffer.put<u64>(kMcontext + kSlotCr2 * 8, delivery.info.code > 0 ? delivery.info.addr : 0);
    buffer.put<u64>(kSigmask, delivery.old_mask);
    put_siginfo(buffer, kSiginfo, delivery.info, 8);
    if (!machine.memory().write(frame, buffer.data(), buffer.size()))
        return false;

    set_reg64(uc, UC_X86_REG_RDI, static_cast<u64>(delivery.signo));
    set_reg64(uc, UC_X86_REG_RSI, frame + kSiginfo);
    set_reg64(uc, UC_X86_REG_RDX, frame + kUcontext);
    set_reg64(uc, UC_X86_REG_RAX, 0);
    set_reg64(uc, UC_X86_REG_RSP, frame);
    set_reg64(uc, UC_X86_REG_RIP, delivery.handler);
    set_reg64(uc, UC_X86_REG_EFLAGS, reg64(uc, UC_X86_REG_EFLAGS) & ~u64{0x100 | 0x400}); // TF, DF
    return true;
}

u64 sigreturn_frame_amd64(uc_engine* uc, bool) {
    return reg64(uc, UC_X86_REG_RSP) - 8; // the handler's ret popped pretcode
}

std::optional<u64> sigreturn_amd64(Process& machine, Lwp&, bool, u64 frame) {
    uc_engine* uc = machine.uc();
    FrameBuffer buffer(kFrameSize);
    if (!machine.memory().read(frame, buffer.data(), buffer.size()))
        return std::nullopt;
    u64 flags = reg64(uc, UC_X86_REG_EFLAGS);
    for (std::size_t slot = 0; slot < std::size(kGpRegs); ++slot) {
        u64 value = buffer.get<u64>(kMcontext + slot * 8);
        if (kGpRegs[slot] == UC_X86_REG_EFLAGS)
            value = (flags & ~kUserFlags) | (value & kUserFlags);
        set_reg64(uc, kGpRegs[slot], value);
    }
    return buffer.get<u64>(kSigmask);
}

} // namespace crossrt::kernel
