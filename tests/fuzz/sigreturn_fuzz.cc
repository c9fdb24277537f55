// Fuzz target: a return from a signal handler through a frame the guest
// controls. Linux's rt_sigreturn and sigreturn (amd64, 386, arm) and
// NetBSD's setcontext read the frame from guest memory and load registers,
// flags, segment selectors, the signal mask and the TLS base from it; the
// guest then runs on from whatever they restored.
//
// The input: a byte, then the frame.
//   byte % 8: the variant (frame_variants()); bit 3: the frame is one the
//   kernel delivered (a SIGUSR1 handler was entered, so the state saved at
//   delivery is restored too), else one no delivery made; bits 4-7: that
//   made-up frame's misalignment.
#include "frame_guest.h"
#include "fuzz_bytes.h"

#include <cstddef>
#include <cstdint>

using namespace crossrt::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzBytes input(data, size);
    auto how = input.take<std::uint8_t>();
    const FrameVariant& variant = frame_variants()[how % frame_variants().size()];
    bool delivered = (how & 8) != 0;
    FrameGuest guest = boot_frame_guest(variant, delivered, how >> 4);
    return_through_frame(guest, input.rest());
    return 0;
}
