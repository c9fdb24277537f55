// The Linux personality: the arch's Linux trap convention (abi/), tids from
// the pid on, Linux's auxv, and the rt signal frames of signal/.
#include "kernel/personality.h"

#include "kernel/linux/table.h"
#include "kernel/process.h"

namespace crossrt::kernel {
namespace {

class LinuxPersonality : public Personality {
public:
    explicit LinuxPersonality(const Abi& abi) : abi_(abi) {}

    std::string_view name() const override { return "linux"; }
    std::unique_ptr<lnx::SyscallTable> make_syscall_table() const override {
        return std::make_unique<lnx::SyscallTable>(abi_.arch());
    }

    SyscallArgs syscall_args(Process& process) const override {
        return abi_.syscall_args(process.uc());
    }
    void set_syscall_result(Process& process, i64 result) const override {
        abi_.set_syscall_result(process.uc(), result);
    }
    void rewind_syscall(Process& process, const SyscallArgs& args) const override {
        abi_.rewind_syscall(process.uc(), args);
    }
    i64 enosys() const override { return -err::NOSYS; }

    int lwp_id(int ordinal) const override { return kGuestPid + ordinal - 1; }

    void describe_stack(StackSpec& spec) const override {
        spec.hwcap = abi_.hwcap();
        spec.platform = abi_.platform();
    }
    void start_registers(Process&, const InitialStack&) const override {}

    u64 push_signal_frame(Process& process, Lwp& lwp, const SignalDelivery& delivery,
                          const SigAction&) const override {
        if (!abi_.push_signal_frame(process, lwp, delivery))
            return 0;
        // rt_sigreturn finds the frame by the sp the handler started with.
        return abi_.sp(process.uc());
    }

private:
    const Abi& abi_;
};

} // namespace

std::unique_ptr<Personality> make_linux_personality(const Abi& abi) {
    return std::make_unique<LinuxPersonality>(abi);
}

} // namespace crossrt::kernel
