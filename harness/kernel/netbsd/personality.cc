// The NetBSD personality: the arch's NetBSD trap convention (carry flag and
// positive errno), lids from 1, NetBSD's auxv and ps_strings, and the frame
// sendsig_siginfo builds (siginfo + ucontext, handler(sig, info, uc)
// returning to the trampoline from __sigaction_sigtramp), with NetBSD's
// numbers and codes.
#include "kernel/netbsd/personality.h"

#include "kernel/netbsd/errno.h"
#include "kernel/netbsd/signals.h"
#include "kernel/netbsd/table.h"
#include "kernel/personality.h"
#include "kernel/process.h"

#include <algorithm>

namespace crossrt::kernel::nbsd {
namespace {

constexpr int kSiLwp = -1;       // _lwp_kill
constexpr int kSiNoinfo = 32767; // no sender: timers, --inject
constexpr int kSsOnstack = 1;
constexpr int kSsDisable = 4;

int netbsd_code(const SigInfo& info) {
    if (info.code == kSiTkill)
        return kSiLwp;
    if (info.code == kSiKernel)
        return kSiNoinfo;
    return info.code; // SI_USER 0 and the fault codes agree
}

class NetbsdPersonality : public Personality {
public:
    NetbsdPersonality(const Cpu& cpu, std::unique_ptr<NetbsdAbi> netbsd)
        : cpu_(cpu), netbsd_(std::move(netbsd)) {}

    const NetbsdAbi& netbsd_abi() const { return *netbsd_; }

    std::string_view name() const override { return "netbsd"; }
    std::unique_ptr<posix::SyscallTable> make_syscall_table() const override {
        return nbsd::make_syscall_table(cpu_.arch());
    }

    SyscallArgs syscall_args(Process& process) const override {
        return netbsd_->syscall_args(process);
    }
    void set_syscall_result(Process& process, i64 result) const override {
        netbsd_->set_result(process.uc(), result);
    }
    void rewind_syscall(Process& process, const SyscallArgs& args) const override {
        netbsd_->rewind_syscall(process.uc(), args);
    }
    i64 enosys() const override { return -err::NOSYS; }

    int lwp_id(int ordinal) const override { return ordinal; }

    bool init_process(Process&, std::string&) const override { return true; }
    bool is_atomic_region(u64) const override { return false; }

    void describe_stack(StackSpec& spec) const override { spec.netbsd = true; }
    void start_registers(Process& process, const InitialStack& stack) const override {
        netbsd_->start_registers(process, stack.ps_strings);
    }

    u64 push_signal_frame(Process& process, Lwp& lwp, const SignalDelivery& delivery,
                          const SigAction& action) const override {
        NetbsdFrame frame;
        frame.signo = to_netbsd_signal(delivery.signo);
        frame.code = netbsd_code(delivery.info);
        frame.addr = delivery.info.addr;
        frame.pid = delivery.info.pid;
        frame.uid = delivery.info.code == kSiUser || delivery.info.code == kSiTkill ? 1000 : 0;
        frame.trampoline = action.trampoline;
        frame.handler = delivery.handler;
        frame.sp = delivery.sp;
        auto mask = mask_to_netbsd(delivery.old_mask);
        std::copy(mask.begin(), mask.end(), frame.sigmask);
        frame.altstack_sp = delivery.altstack.sp;
        frame.altstack_size = delivery.altstack.size;
        frame.altstack_flags = delivery.altstack.disabled ? kSsDisable
                               : delivery.on_altstack     ? kSsOnstack
                                                          : 0;
        // setcontext presents the frame by its ucontext.
        return netbsd_->push_signal_frame(process, lwp, frame);
    }

private:
    const Cpu& cpu_;
    std::unique_ptr<NetbsdAbi> netbsd_;
};

} // namespace

const NetbsdAbi& netbsd_abi(const Process& process) {
    return dynamic_cast<const NetbsdPersonality&>(process.personality()).netbsd_abi();
}

} // namespace crossrt::kernel::nbsd

namespace crossrt::kernel {

std::unique_ptr<Personality> make_netbsd_personality(const Cpu& cpu) {
    std::unique_ptr<NetbsdAbi> netbsd = make_netbsd_abi(cpu.arch());
    if (!netbsd)
        return nullptr;
    return std::make_unique<nbsd::NetbsdPersonality>(cpu, std::move(netbsd));
}

} // namespace crossrt::kernel
