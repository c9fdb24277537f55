// The Linux personality: the arch's Linux ABI (abi/linux_<arch>.cc), tids
// from the pid on, Linux's auxv, and the rt signal frames of signal/.
#include "kernel/linux/personality.h"

#include "kernel/linux/table.h"
#include "kernel/personality.h"
#include "kernel/process.h"

namespace crossrt::kernel::lnx {
namespace {

class LinuxPersonality : public Personality {
public:
    LinuxPersonality(const Cpu& cpu, std::unique_ptr<LinuxAbi> abi)
        : cpu_(cpu), abi_(std::move(abi)) {}

    const LinuxAbi& abi() const { return *abi_; }

    std::string_view name() const override { return "linux"; }
    std::unique_ptr<posix::SyscallTable> make_syscall_table() const override {
        return std::make_unique<lnx::SyscallTable>(cpu_.arch());
    }

    SyscallArgs syscall_args(Process& process) const override {
        return abi_->syscall_args(process.uc());
    }
    void set_syscall_result(Process& process, i64 result) const override {
        abi_->set_syscall_result(process.uc(), result);
    }
    void rewind_syscall(Process& process, const SyscallArgs& args) const override {
        abi_->rewind_syscall(process.uc(), args);
    }
    i64 enosys() const override { return -err::NOSYS; }

    int lwp_id(int ordinal) const override { return kGuestPid + ordinal - 1; }
    bool tids_are_pids() const override { return true; }

    void describe_stack(StackSpec& spec) const override {
        spec.hwcap = abi_->hwcap(cpu_);
        spec.hwcap2 = 0;
        spec.platform = abi_->platform();
    }
    void start_registers(Process&, const InitialStack&) const override {}

    bool init_process(Process& process, std::string& error) const override {
        return abi_->init_process(process, error);
    }
    bool is_atomic_region(u64 pc) const override { return abi_->is_atomic_region(pc); }

    u64 push_signal_frame(Process& process, Lwp& lwp, const SignalDelivery& delivery,
                          const SigAction&) const override {
        if (!abi_->push_signal_frame(process, lwp, delivery))
            return 0;
        // rt_sigreturn finds the frame by the sp the handler started with.
        return cpu_.sp(process.uc());
    }

private:
    const Cpu& cpu_;
    std::unique_ptr<LinuxAbi> abi_;
};

} // namespace

const LinuxAbi& linux_abi(const Process& process) {
    return dynamic_cast<const LinuxPersonality&>(process.personality()).abi();
}

} // namespace crossrt::kernel::lnx

namespace crossrt::kernel {

std::unique_ptr<Personality> make_linux_personality(const Cpu& cpu) {
    std::unique_ptr<LinuxAbi> abi = make_linux_abi(cpu.arch());
    if (!abi)
        return nullptr;
    return std::make_unique<lnx::LinuxPersonality>(cpu, std::move(abi));
}

} // namespace crossrt::kernel
