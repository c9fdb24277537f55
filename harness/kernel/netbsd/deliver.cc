// Signal delivery to a NetBSD guest: the frame sendsig_siginfo builds
// (siginfo + ucontext, handler(sig, info, uc) returning to the trampoline
// from __sigaction_sigtramp), with NetBSD's numbers and codes.
#include "kernel/machine.h"
#include "kernel/netbsd/signals.h"

namespace crossrt::kernel {
namespace {

constexpr int kNetbsdSiLwp = -1;       // _lwp_kill
constexpr int kNetbsdSiNoinfo = 32767; // no sender: timers, --inject

int netbsd_code(const SigInfo& info) {
    if (info.code == kSiTkill)
        return kNetbsdSiLwp;
    if (info.code == kSiKernel)
        return kNetbsdSiNoinfo;
    return info.code; // SI_USER 0 and the fault codes agree
}

} // namespace

bool Machine::push_netbsd_frame(Lwp& lwp, const SignalDelivery& delivery, const SigAction& action) {
    NetbsdFrame frame;
    frame.signo = nbsd::to_netbsd_signal(delivery.signo);
    frame.code = netbsd_code(delivery.info);
    frame.addr = delivery.info.addr;
    frame.pid = delivery.info.pid;
    frame.uid = delivery.info.code == kSiUser || delivery.info.code == kSiTkill ? 1000 : 0;
    frame.trampoline = action.trampoline;
    frame.handler = delivery.handler;
    frame.sp = delivery.sp;
    auto mask = nbsd::mask_to_netbsd(delivery.old_mask);
    std::copy(mask.begin(), mask.end(), frame.sigmask);
    frame.altstack_sp = delivery.altstack.sp;
    frame.altstack_size = delivery.altstack.size;
    frame.altstack_flags = delivery.altstack.disabled ? 4 : delivery.on_altstack ? 1 : 0;
    u64 ucontext = netbsd_abi_->push_signal_frame(*this, lwp, frame);
    netbsd_frame_ = ucontext;
    return ucontext != 0;
}

} // namespace crossrt::kernel
