// The Linux convention of each arch (linux_<arch>.cc), on top of the CPU
// layer (cpu.h): where a trap carries the number and arguments and how the
// result (or -errno) returns, the child side of clone, the thread pointer,
// the auxv's platform and hwcap, the kernel's own guest pages (arm: the
// kuser helpers), and the rt signal frames (signal/frame_linux_<arch>.cc).
#pragma once

#include "kernel/abi/cpu.h"
#include "kernel/signal/action.h"

#include <memory>
#include <optional>
#include <string>

namespace crossrt::kernel {

class LinuxAbi {
public:
    virtual ~LinuxAbi() = default;

    virtual SyscallArgs syscall_args(uc_engine* uc) const = 0;
    virtual void set_syscall_result(uc_engine* uc, i64 result) const = 0;
    // Makes the interrupted call run again: pc back onto the trap
    // instruction, the number (and on arm r0) restored.
    virtual void rewind_syscall(uc_engine* uc, const SyscallArgs& args) const = 0;

    // The child side of clone: result 0 and the new stack pointer.
    virtual void start_child(uc_engine* uc, u64 stack) const = 0;
    // CLONE_SETTLS / arch_prctl / set_tls: points the thread pointer of the
    // running LWP (whose registers are live) at tls. -errno on failure.
    virtual i64 set_thread_pointer(Process& process, Lwp& lwp, u64 tls) const = 0;

    // AT_HWCAP for the CPU presented: on x86 CPUID leaf 1's EDX, as Linux
    // gives it; arm has its own bits. AT_HWCAP2 is 0 on every arch here
    // (no x86 FSGSBASE for user mode, no arm crypto extensions).
    virtual u64 hwcap(const Cpu& cpu) const { return cpu.cpuid_features(); }
    virtual std::string platform() const = 0;
    // The pages Linux maps into every process (arm: the kuser helpers and
    // the sigreturn trampolines).
    virtual bool init_process(Process&, std::string& /*error*/) const { return true; }
    // Never preempt an LWP here (arm: inside the kuser helpers).
    virtual bool is_atomic_region(u64 /*pc*/) const { return false; }

    // Builds the rt signal frame and points the live registers at the
    // handler. False when the frame cannot be written (the caller kills
    // the process with SIGSEGV, as Linux does).
    virtual bool push_signal_frame(Process& process, Lwp& lwp,
                                   const SignalDelivery& delivery) const = 0;
    // rt_sigreturn (rt) or sigreturn: where the frame is, from the live sp.
    virtual u64 sigreturn_frame(uc_engine* uc, bool rt) const = 0;
    // Restores the live registers from that frame and returns the signal
    // mask it holds; nullopt when the frame cannot be read.
    virtual std::optional<u64> signal_return(Process& process, Lwp& lwp, bool rt,
                                             u64 frame) const = 0;
};

std::unique_ptr<LinuxAbi> make_linux_abi_amd64();
std::unique_ptr<LinuxAbi> make_linux_abi_386();
std::unique_ptr<LinuxAbi> make_linux_abi_arm();
std::unique_ptr<LinuxAbi> make_linux_abi(Arch arch);

} // namespace crossrt::kernel
