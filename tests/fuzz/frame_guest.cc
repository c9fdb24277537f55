#include "frame_guest.h"

#include "kernel/abi/regs.h"

#include <fmt/format.h>

namespace crossrt::fuzz {
namespace {

// In the data segment: where a delivery's stack starts, and where a frame
// no delivery made is put.
constexpr u64 kDeliveryStack = 0x8000;
constexpr u64 kMadeUpFrame = 0x4000;
// At most this much of an input is written over the frame.
constexpr std::size_t kMaxFrameBytes = 4096;

bool is_netbsd(const FrameVariant& variant) {
    return guest_targets()[variant.target].os == "netbsd";
}

// Where a NetBSD handler finds its ucontext (the third argument).
u64 delivered_ucontext(kernel::Process& process) {
    uc_engine* uc = process.uc();
    switch (process.cpu().arch()) {
    case Arch::amd64:
        return kernel::reg64(uc, UC_X86_REG_RDX);
    case Arch::arm:
        return kernel::reg32(uc, UC_ARM_REG_R2);
    case Arch::i386: {
        u64 ucp = 0;
        if (!process.read_word(kernel::reg32(uc, UC_X86_REG_ESP) + 12, ucp))
            fail("the NetBSD/386 handler's arguments are unreadable");
        return ucp;
    }
    }
    return 0;
}

} // namespace

std::string FrameVariant::name() const {
    return fmt::format("{}-{}", guest_targets()[target].name(), call);
}

const std::array<FrameVariant, 8>& frame_variants() {
    // Linux: the frame is found from sp, where the handler's return left
    // it: amd64's ret popped pretcode (8), 386's too (4) and, for the old
    // sigreturn, its restorer's popl %eax (8); arm returns through lr.
    static const std::array<FrameVariant, 8> variants = {{{0, "rt_sigreturn", 8},
                                                          {1, "rt_sigreturn", 4},
                                                          {1, "sigreturn", 8},
                                                          {2, "rt_sigreturn", 0},
                                                          {2, "sigreturn", 0},
                                                          {3, "setcontext", 0},
                                                          {4, "setcontext", 0},
                                                          {5, "setcontext", 0}}};
    return variants;
}

FrameGuest boot_frame_guest(const FrameVariant& variant, bool delivered, unsigned misalign) {
    const GuestTarget& target = guest_targets()[variant.target];
    CallWriter writer(target);
    writer.trap_only(syscall_number(target, variant.call));
    writer.exit(0); // where a call that returns (setcontext's EFAULT) goes on
    kernel::KernelOptions options = guest_options();
    options.max_insns = 20'000;
    FrameGuest guest;
    guest.variant = &variant;
    guest.kernel = std::make_unique<kernel::Kernel>(options);
    std::string error;
    if (!guest.kernel->boot(guest_image(target, writer, {}), error))
        fail("the guest does not boot: " + error);
    kernel::Process& process = guest.kernel->main_process();
    kernel::Lwp& lwp = process.current();
    u64 data = data_base(target.arch);
    process.cpu().set_sp(process.uc(), data + kDeliveryStack);
    guest.frame_end = data + kDeliveryStack;
    if (!delivered) {
        guest.frame = data + kMadeUpFrame + misalign % 16;
        return guest;
    }
    kernel::SigAction& action = process.action(kernel::sig::USR1);
    action.handler = code_base(target.arch); // never runs: the call comes at once
    action.flags = kernel::kSaSiginfo | kernel::kSaRestorer;
    action.restorer = code_base(target.arch);
    action.trampoline = code_base(target.arch);
    process.send_to_thread(
        lwp, kernel::SigInfo{kernel::sig::USR1, kernel::kSiTkill, 0, process.pid(), 0, 0});
    process.deliver_signals(lwp);
    if (guest.kernel->ended())
        fail(fmt::format("{}: the delivery ended the run", variant.name()));
    guest.frame = is_netbsd(variant) ? delivered_ucontext(process) : process.cpu().sp(process.uc());
    return guest;
}

void return_through_frame(FrameGuest& guest, std::span<const u8> bytes) {
    kernel::Process& process = guest.kernel->main_process();
    kernel::Lwp& lwp = process.current();
    uc_engine* uc = process.uc();
    const kernel::Cpu& cpu = process.cpu();
    Arch arch = cpu.arch();
    bytes = bytes.first(std::min(bytes.size(), kMaxFrameBytes));
    if (!process.memory().write(guest.frame, bytes.data(), bytes.size()))
        fail("the frame is not writable");
    cpu.set_pc(uc, code_base(arch));
    if (!is_netbsd(*guest.variant)) {
        cpu.set_sp(uc, guest.frame + guest.variant->sp_above_frame);
    } else {
        // setcontext(ucp): the trampoline's call, ucp as its one argument.
        u64 stack = data_base(arch) + kStackSlots;
        cpu.set_sp(uc, stack);
        if (arch == Arch::amd64)
            kernel::set_reg64(uc, UC_X86_REG_RDI, guest.frame);
        else if (arch == Arch::arm)
            kernel::set_reg32(uc, UC_ARM_REG_R0, static_cast<kernel::u32>(guest.frame));
        else if (!process.write_word(stack + 4, guest.frame))
            fail("the NetBSD/386 stack is not writable");
    }
    process.save_registers(lwp);
    guest.kernel->run();
}

} // namespace crossrt::fuzz
