// Linux arm signal frames (arch/arm/kernel/signal.c):
// rt_sigframe: +0 siginfo (128 bytes), +128 struct sigframe:
//   struct ucontext: uc_flags, uc_link, uc_stack (12 bytes), uc_mcontext at
//   +20 (struct sigcontext, 21 words: trap_no error_code oldmask r0..r10 fp ip
//   sp lr pc cpsr fault_address), uc_sigmask at +104, padding to +232,
//   uc_regspace[128 words] at +232 (VFP state; here only its terminator),
//   then retcode[2].
// sigframe (sigreturn): the same without the siginfo.
// The runtime reads pc at uc+20+18*4 and sp at uc+20+16*4.
#include "kernel/abi/regs.h"
#include "kernel/process.h"
#include "kernel/signal/frame_linux.h"

namespace crossrt::kernel {
namespace {

constexpr std::size_t kUcSize = 744;
constexpr std::size_t kMcontext = 20;
constexpr std::size_t kSigmask = 104;
constexpr std::size_t kRetcode = kUcSize;
constexpr std::size_t kSigframeSize = kUcSize + 8;
constexpr std::size_t kRtFrameSize = kSiginfoSize + kSigframeSize;

constexpr int kGpRegs[] = {UC_ARM_REG_R0,  UC_ARM_REG_R1, UC_ARM_REG_R2,  UC_ARM_REG_R3,
                           UC_ARM_REG_R4,  UC_ARM_REG_R5, UC_ARM_REG_R6,  UC_ARM_REG_R7,
                           UC_ARM_REG_R8,  UC_ARM_REG_R9, UC_ARM_REG_R10, UC_ARM_REG_R11,
                           UC_ARM_REG_R12, UC_ARM_REG_SP, UC_ARM_REG_LR,  UC_ARM_REG_PC};
constexpr std::size_t kSlotR0 = 3;
constexpr std::size_t kSlotCpsr = 19;
constexpr std::size_t kSlotFault = 20;
constexpr u32 kCpsrThumb = 0x20;
// What user code may change in CPSR: NZCVQ, IT, GE, E, T.
constexpr u32 kCpsrUser = 0xfe0ffe20;

void put_ucontext(FrameBuffer& buffer, std::size_t uc_at, uc_engine* uc,
                  const SignalDelivery& delivery) {
    buffer.put<u32>(uc_at + 8, static_cast<u32>(delivery.altstack.sp));
    buffer.put<i32>(uc_at + 12, altstack_flags(delivery));
    buffer.put<u32>(uc_at + 16, static_cast<u32>(delivery.altstack.size));
    std::size_t mc = uc_at + kMcontext;
    buffer.put<u32>(mc + 0, static_cast<u32>(delivery.info.trapno));
    buffer.put<u32>(mc + 8, static_cast<u32>(delivery.old_mask));
    for (std::size_t i = 0; i < std::size(kGpRegs); ++i)
        buffer.put<u32>(mc + (kSlotR0 + i) * 4, reg32(uc, kGpRegs[i]));
    buffer.put<u32>(mc + kSlotCpsr * 4, (reg32(uc, UC_ARM_REG_CPSR) & ~u32{0x1f}) | 0x10);
    buffer.put<u32>(mc + kSlotFault * 4,
                    delivery.info.code > 0 ? static_cast<u32>(delivery.info.addr) : 0);
    buffer.put<u64>(uc_at + kSigmask, delivery.old_mask);
}

} // namespace

bool push_frame_arm(Process& machine, Lwp&, const SignalDelivery& delivery) {
    uc_engine* uc = machine.uc();
    u64 frame = (delivery.sp - kRtFrameSize) & ~u64{7};
    FrameBuffer buffer(kRtFrameSize);
    put_siginfo(buffer, 0, delivery.info, 4);
    std::size_t uc_at = kSiginfoSize;
    put_ucontext(buffer, uc_at, uc, delivery);
    buffer.put<u32>(uc_at + kRetcode, 0xe3a070ad);     // mov r7, #173 (rt_sigreturn)
    buffer.put<u32>(uc_at + kRetcode + 4, 0xef000000); // svc 0
    if (!machine.memory().write(frame, buffer.data(), buffer.size()))
        return false;
    u32 lr = (delivery.flags & kSaRestorer) != 0 ? static_cast<u32>(delivery.restorer)
                                                 : static_cast<u32>(kArmRtSigreturnTrampoline);
    set_reg32(uc, UC_ARM_REG_R0, static_cast<u32>(delivery.signo));
    set_reg32(uc, UC_ARM_REG_R1, static_cast<u32>(frame));
    set_reg32(uc, UC_ARM_REG_R2, static_cast<u32>(frame + uc_at));
    set_reg32(uc, UC_ARM_REG_SP, static_cast<u32>(frame));
    set_reg32(uc, UC_ARM_REG_LR, lr);
    // Clear IT and E; T follows the handler's low bit (the PC write sets it).
    u32 cpsr = reg32(uc, UC_ARM_REG_CPSR) & ~(u32{0x0600fc00} | 0x200 | kCpsrThumb);
    set_reg32(uc, UC_ARM_REG_CPSR, cpsr);
    set_reg32(uc, UC_ARM_REG_PC, static_cast<u32>(delivery.handler));
    return true;
}

u64 sigreturn_frame_arm(uc_engine* uc, bool) {
    return reg32(uc, UC_ARM_REG_SP);
}

std::optional<u64> sigreturn_arm(Process& machine, Lwp&, bool rt, u64 frame) {
    uc_engine* uc = machine.uc();
    std::size_t uc_at = rt ? kSiginfoSize : 0;
    FrameBuffer buffer(uc_at + kSigframeSize);
    if (frame % 8 != 0 || !machine.memory().read(frame, buffer.data(), buffer.size()))
        return std::nullopt;
    std::size_t mc = uc_at + kMcontext;
    u32 cpsr = buffer.get<u32>(mc + kSlotCpsr * 4);
    u32 current = reg32(uc, UC_ARM_REG_CPSR);
    set_reg32(uc, UC_ARM_REG_CPSR, (current & ~kCpsrUser) | (cpsr & kCpsrUser));
    for (std::size_t i = 0; i < std::size(kGpRegs); ++i) {
        u32 value = buffer.get<u32>(mc + (kSlotR0 + i) * 4);
        if (kGpRegs[i] == UC_ARM_REG_PC)
            value = (value & ~u32{1}) | ((cpsr & kCpsrThumb) != 0 ? 1 : 0);
        set_reg32(uc, kGpRegs[i], value);
    }
    return buffer.get<u64>(uc_at + kSigmask);
}

} // namespace crossrt::kernel
