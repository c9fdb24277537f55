#include "kernel/signal/frame_linux.h"

namespace crossrt::kernel {

void put_siginfo(FrameBuffer& frame, std::size_t offset, const SigInfo& info, int word_size) {
    frame.put<i32>(offset + 0, info.signo);
    frame.put<i32>(offset + 4, 0);
    frame.put<i32>(offset + 8, info.code);
    std::size_t fields = offset + (word_size == 8 ? 16 : 12);
    bool fault = info.signo == sig::SEGV || info.signo == sig::BUS || info.signo == sig::ILL ||
                 info.signo == sig::FPE || info.signo == sig::TRAP;
    if (fault && info.code > 0) {
        if (word_size == 8)
            frame.put<u64>(fields, info.addr);
        else
            frame.put<u32>(fields, static_cast<u32>(info.addr));
    } else {
        frame.put<i32>(fields, info.pid);
        frame.put<u32>(fields + 4, info.pid != 0 ? 1000 : 0);
    }
}

int altstack_flags(const SignalDelivery& delivery) {
    if (delivery.altstack.disabled)
        return kSsDisable;
    return delivery.on_altstack ? kSsOnstack : 0;
}

} // namespace crossrt::kernel
