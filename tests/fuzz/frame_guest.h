// A guest about to return from a signal handler through a frame in its
// memory, for the sigreturn fuzz target and the seeds of its corpus: Linux's
// rt_sigreturn and sigreturn (amd64, 386, arm) and NetBSD's setcontext (its
// signal trampoline's call), on a frame the kernel delivered or on one the
// guest made up.
#pragma once

#include "fuzz_guest.h"

#include <memory>
#include <span>
#include <string_view>

namespace crossrt::fuzz {

struct FrameVariant {
    std::size_t target;     // guest_targets() index
    std::string_view call;  // rt_sigreturn, sigreturn, setcontext
    u64 sp_above_frame = 0; // Linux: where sp is at the call, above the frame
    std::string name() const;
};
// linux-amd64 rt_sigreturn, linux-386 rt_sigreturn and sigreturn, linux-arm
// rt_sigreturn and sigreturn, netbsd-{amd64,386,arm} setcontext.
const std::array<FrameVariant, 8>& frame_variants();

struct FrameGuest {
    std::unique_ptr<kernel::Kernel> kernel;
    const FrameVariant* variant = nullptr;
    u64 frame = 0;     // where the call reads the frame (NetBSD: the ucontext)
    u64 frame_end = 0; // the stack pointer the delivery started below
};

// Boots the variant's guest. delivered: a SIGUSR1 handler (SA_SIGINFO) is
// entered first, the kernel pushing its frame as for any signal, and the
// frame is that one; otherwise it is a place in the data segment (the
// frame address's low bits from misalign), which no delivery made.
FrameGuest boot_frame_guest(const FrameVariant& variant, bool delivered, unsigned misalign);

// The frame's bytes become `bytes` (from its start; delivered: the rest
// is the kernel's), then the guest makes the call with the registers
// pointing at the frame and runs on, through whatever it restored, to its
// end or a small instruction budget.
void return_through_frame(FrameGuest& guest, std::span<const u8> bytes);

} // namespace crossrt::fuzz
