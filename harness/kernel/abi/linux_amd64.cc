// Linux/amd64: number in rax, arguments in rdi rsi rdx r10 r8 r9, result
// (or -errno) in rax; `syscall` is two bytes. The thread pointer is the FS
// base (arch_prctl ARCH_SET_FS, CLONE_SETTLS).
#include "kernel/abi/linux.h"
#include "kernel/abi/regs.h"
#include "kernel/process.h"
#include "kernel/signal/frame_linux.h"

namespace crossrt::kernel {
namespace {

class LinuxAmd64 : public LinuxAbi {
public:
    std::string platform() const override { return "x86_64"; }

    SyscallArgs syscall_args(uc_engine* uc) const override {
        SyscallArgs args;
        args.nr = reg64(uc, UC_X86_REG_RAX);
        const int ids[6] = {UC_X86_REG_RDI, UC_X86_REG_RSI, UC_X86_REG_RDX,
                            UC_X86_REG_R10, UC_X86_REG_R8,  UC_X86_REG_R9};
        for (std::size_t i = 0; i < 6; ++i)
            args.a[i] = reg64(uc, ids[i]);
        return args;
    }
    void set_syscall_result(uc_engine* uc, i64 result) const override {
        set_reg64(uc, UC_X86_REG_RAX, static_cast<u64>(result));
    }
    void rewind_syscall(uc_engine* uc, const SyscallArgs& args) const override {
        set_reg64(uc, UC_X86_REG_RIP, reg64(uc, UC_X86_REG_RIP) - 2);
        set_reg64(uc, UC_X86_REG_RAX, args.nr);
    }
    void start_child(uc_engine* uc, u64 stack) const override {
        set_reg64(uc, UC_X86_REG_RAX, 0);
        if (stack != 0)
            set_reg64(uc, UC_X86_REG_RSP, stack);
    }
    i64 set_thread_pointer(Process& process, Lwp&, u64 tls) const override {
        set_reg64(process.uc(), UC_X86_REG_FS_BASE, tls);
        return 0;
    }

    bool push_signal_frame(Process& process, Lwp& lwp,
                           const SignalDelivery& delivery) const override {
        return push_frame_amd64(process, lwp, delivery);
    }
    u64 sigreturn_frame(uc_engine* uc, bool rt) const override {
        return sigreturn_frame_amd64(uc, rt);
    }
    std::optional<u64> signal_return(Process& process, Lwp& lwp, bool rt,
                                     u64 frame) const override {
        return sigreturn_amd64(process, lwp, rt, frame);
    }
};

} // namespace

std::unique_ptr<LinuxAbi> make_linux_abi_amd64() {
    return std::make_unique<LinuxAmd64>();
}

} // namespace crossrt::kernel
