#include "kernel/netbsd/signals.h"

namespace crossrt::kernel::nbsd {
namespace {

// Index: the NetBSD number (sys/signal.h); value: the Linux number. SIGEMT
// (7) and SIGINFO (29) have no Linux counterpart and get real-time numbers
// of their own, so they still round-trip.
constexpr std::array<int, 33> kToLinux = {
    0,          sig::HUP,    sig::INT,  sig::QUIT, sig::ILL,  sig::TRAP,   sig::ABRT,
    40 /*EMT*/, sig::FPE,    sig::KILL, sig::BUS,  sig::SEGV, sig::SYS,    sig::PIPE,
    sig::ALRM,  sig::TERM,   sig::URG,  sig::STOP, sig::TSTP, sig::CONT,   sig::CHLD,
    sig::TTIN,  sig::TTOU,   sig::IO,   sig::XCPU, sig::XFSZ, sig::VTALRM, sig::PROF,
    sig::WINCH, 41 /*INFO*/, sig::USR1, sig::USR2, sig::PWR,
};

} // namespace

int to_linux_signal(int netbsd) {
    if (netbsd <= 0 || netbsd > kMaxSignal)
        return 0;
    if (netbsd < static_cast<int>(kToLinux.size()))
        return kToLinux[static_cast<std::size_t>(netbsd)];
    // Real-time signals 33..63 map to Linux 42..; past 64 they are lost.
    int linux = netbsd + 9;
    return linux <= sig::max ? linux : 0;
}

int to_netbsd_signal(int linux) {
    for (int netbsd = 1; netbsd <= kMaxSignal; ++netbsd) {
        if (to_linux_signal(netbsd) == linux)
            return netbsd;
    }
    return 0;
}

u64 mask_to_linux(const std::array<u32, 4>& netbsd) {
    u64 mask = 0;
    for (int signo = 1; signo <= kMaxSignal; ++signo) {
        auto word = static_cast<std::size_t>((signo - 1) / 32);
        if ((netbsd[word] >> ((signo - 1) % 32) & 1) == 0)
            continue;
        if (int linux = to_linux_signal(signo); linux != 0)
            mask |= sigbit(linux);
    }
    return mask;
}

std::array<u32, 4> mask_to_netbsd(u64 linux) {
    std::array<u32, 4> mask{};
    for (int signo = 1; signo <= kMaxSignal; ++signo) {
        int other = to_linux_signal(signo);
        if (other != 0 && (linux & sigbit(other)) != 0)
            mask[static_cast<std::size_t>((signo - 1) / 32)] |= u32{1} << ((signo - 1) % 32);
    }
    return mask;
}

} // namespace crossrt::kernel::nbsd
