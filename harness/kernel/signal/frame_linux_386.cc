// Linux 386 signal frames (arch/x86/kernel/signal.c, asm/sigframe.h):
// rt_sigframe_ia32:
//   +0 pretcode, +4 sig, +8 pinfo, +12 puc, +16 siginfo (128 bytes),
//   +144 struct ucontext: uc_flags, uc_link, uc_stack (12 bytes), then
//        uc_mcontext at +164 (struct sigcontext_32, 22 slots of 4 bytes: gs fs
//        es ds edi esi ebp esp ebx edx ecx eax trapno err eip cs eflags
//        esp_at_signal ss fpstate oldmask cr2), uc_sigmask at +252,
//   +260 retcode[8].
// sigframe_ia32 (sigreturn): +0 pretcode, +4 sig, +8 sigcontext,
//   +96 fpstate_unused (624 bytes), +720 extramask, +724 retcode.
// The runtime reads pc at uc+20+14*4 and sp at uc+20+7*4.
#include "kernel/abi/regs.h"
#include "kernel/process.h"
#include "kernel/signal/frame_linux.h"

namespace crossrt::kernel {
namespace {

constexpr std::size_t kInfo = 16;
constexpr std::size_t kUcontext = 144;
constexpr std::size_t kMcontext = kUcontext + 20;
constexpr std::size_t kSigmask = kUcontext + 108;
constexpr std::size_t kRetcode = 260;
constexpr std::size_t kFrameSize = 268;

constexpr std::size_t kOldSigcontext = 8;
constexpr std::size_t kOldExtramask = 720;
constexpr std::size_t kOldFrameSize = 732;

// sigcontext slots and the registers they hold (-1: not a register here).
constexpr int kSlots[] = {UC_X86_REG_GS,
                          UC_X86_REG_FS,
                          UC_X86_REG_ES,
                          UC_X86_REG_DS,
                          UC_X86_REG_EDI,
                          UC_X86_REG_ESI,
                          UC_X86_REG_EBP,
                          UC_X86_REG_ESP,
                          UC_X86_REG_EBX,
                          UC_X86_REG_EDX,
                          UC_X86_REG_ECX,
                          UC_X86_REG_EAX,
                          -1,
                          -1,
                          UC_X86_REG_EIP,
                          UC_X86_REG_CS,
                          UC_X86_REG_EFLAGS,
                          UC_X86_REG_ESP,
                          UC_X86_REG_SS};
constexpr std::size_t kSlotTrapno = 12;
constexpr std::size_t kSlotOldmask = 20;
constexpr std::size_t kSlotCr2 = 21;

constexpr u32 kUserFlags =
    0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x100 | 0x400 | 0x800 | 0x40000 | 0x200000 | 0x10000;

void put_sigcontext(FrameBuffer& buffer, std::size_t at, uc_engine* uc,
                    const SignalDelivery& delivery) {
    for (std::size_t slot = 0; slot < std::size(kSlots); ++slot) {
        if (kSlots[slot] >= 0)
            buffer.put<u32>(at + slot * 4, reg32(uc, kSlots[slot]));
    }
    buffer.put<u32>(at + kSlotTrapno * 4, static_cast<u32>(delivery.info.trapno));
    buffer.put<u32>(at + kSlotOldmask * 4, static_cast<u32>(delivery.old_mask));
    buffer.put<u32>(at + kSlotCr2 * 4,
                    delivery.info.code > 0 ? static_cast<u32>(delivery.info.addr) : 0);
}

// False when a segment selector in the frame cannot be loaded (the guest's
// kernel answers a bad frame with SIGSEGV).
bool restore_sigcontext(const FrameBuffer& buffer, std::size_t at, uc_engine* uc) {
    for (int id : {UC_X86_REG_EDI, UC_X86_REG_ESI, UC_X86_REG_EBP, UC_X86_REG_ESP, UC_X86_REG_EBX,
                   UC_X86_REG_EDX, UC_X86_REG_ECX, UC_X86_REG_EAX, UC_X86_REG_EIP}) {
        for (std::size_t slot = 0; slot < std::size(kSlots); ++slot) {
            if (kSlots[slot] == id) {
                set_reg32(uc, id, buffer.get<u32>(at + slot * 4));
                break;
            }
        }
    }
    u32 flags = buffer.get<u32>(at + 16 * 4);
    set_reg32(uc, UC_X86_REG_EFLAGS,
              (reg32(uc, UC_X86_REG_EFLAGS) & ~kUserFlags) | (flags & kUserFlags));
    // %gs and %fs reload through this LWP's GDT or the LDT when they changed.
    for (auto [slot, id] : {std::pair{0u, UC_X86_REG_GS}, std::pair{1u, UC_X86_REG_FS}}) {
        u32 selector = buffer.get<u32>(at + slot * 4) & 0xffff;
        if (selector != reg32(uc, id) && uc_reg_write(uc, id, &selector) != UC_ERR_OK)
            return false;
    }
    return true;
}

} // namespace

bool push_frame_386(Process& machine, Lwp&, const SignalDelivery& delivery) {
    uc_engine* uc = machine.uc();
    u64 frame = (((delivery.sp - kFrameSize) + 4) & ~u64{15}) - 4;
    FrameBuffer buffer(kFrameSize);
    u32 retcode = static_cast<u32>(frame + kRetcode);
    buffer.put<u32>(0, (delivery.flags & kSaRestorer) != 0 ? static_cast<u32>(delivery.restorer)
                                                           : retcode);
    buffer.put<u32>(4, static_cast<u32>(delivery.signo));
    buffer.put<u32>(8, static_cast<u32>(frame + kInfo));
    buffer.put<u32>(12, static_cast<u32>(frame + kUcontext));
    put_siginfo(buffer, kInfo, delivery.info, 4);
    buffer.put<u32>(kUcontext + 8, static_cast<u32>(delivery.altstack.sp));
    buffer.put<i32>(kUcontext + 12, altstack_flags(delivery));
    buffer.put<u32>(kUcontext + 16, static_cast<u32>(delivery.altstack.size));
    put_sigcontext(buffer, kMcontext, uc, delivery);
    buffer.put<u64>(kSigmask, delivery.old_mask);
    const u8 code[8] = {0xb8, 173, 0, 0, 0, 0xcd, 0x80, 0}; // movl $rt_sigreturn, %eax; int $0x80
    std::memcpy(buffer.data() + kRetcode, code, sizeof code);
    if (!machine.memory().write(frame, buffer.data(), buffer.size()))
        return false;
    set_reg32(uc, UC_X86_REG_ESP, static_cast<u32>(frame));
    set_reg32(uc, UC_X86_REG_EIP, static_cast<u32>(delivery.handler));
    set_reg32(uc, UC_X86_REG_EAX, static_cast<u32>(delivery.signo));
    set_reg32(uc, UC_X86_REG_EDX, static_cast<u32>(frame + kInfo));
    set_reg32(uc, UC_X86_REG_ECX, static_cast<u32>(frame + kUcontext));
    set_reg32(uc, UC_X86_REG_EFLAGS, reg32(uc, UC_X86_REG_EFLAGS) & ~u32{0x100 | 0x400});
    return true;
}

u64 sigreturn_frame_386(uc_engine* uc, bool rt) {
    // rt: the handler's ret popped pretcode; old: also the stub's popl %eax.
    return reg32(uc, UC_X86_REG_ESP) - (rt ? 4 : 8);
}

std::optional<u64> sigreturn_386(Process& machine, Lwp&, bool rt, u64 frame) {
    uc_engine* uc = machine.uc();
    FrameBuffer buffer(rt ? kFrameSize : kOldFrameSize);
    if (!machine.memory().read(frame, buffer.data(), buffer.size()))
        return std::nullopt;
    if (rt) {
        if (!restore_sigcontext(buffer, kMcontext, uc))
            return std::nullopt;
        return buffer.get<u64>(kSigmask);
    }
    if (!restore_sigcontext(buffer, kOldSigcontext, uc))
        return std::nullopt;
    return u64{buffer.get<u32>(kOldSigcontext + kSlotOldmask * 4)} |
           (u64{buffer.get<u32>(kOldExtramask)} << 32);
}

} // namespace crossrt::kernel
