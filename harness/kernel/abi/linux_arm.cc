// Linux/arm (EABI): `svc #0`, number in r7, arguments in r0-r5, result (or
// -errno) in r0. The thread pointer is TPIDRURO (set_tls, 0x0f0005). The
// kernel user helpers live at 0xffff0000 (get_tls at 0xffff0fe0, cmpxchg at
// 0xffff0fc0 with the carry flag set on success, the memory barrier at
// 0xffff0fa0); an LWP is never preempted inside them, which makes the
// uniprocessor cmpxchg sequence atomic.
#include "kernel/abi/cpu_arm.h"
#include "kernel/abi/linux.h"
#include "kernel/abi/regs.h"
#include "kernel/process.h"
#include "kernel/signal/frame_linux.h"

#include <initializer_list>

namespace crossrt::kernel {
namespace {

constexpr u64 kKuserPage = 0xffff0000;

class LinuxArm : public LinuxAbi {
public:
    // HWCAP: SWP HALF THUMB FAST_MULT VFP EDSP NEON VFPv3 TLS VFPv4 IDIVA IDIVT
    u64 hwcap(const Cpu&) const override {
        return 1 | 2 | 4 | 16 | 64 | 128 | 4096 | 8192 | 32768 | 65536 | (1 << 17) | (1 << 18);
    }
    std::string platform() const override { return "v7l"; }

    bool init_process(Process& process, std::string& error) const override {
        if (!process.memory().map_kernel(kKuserPage, kPageSize, kProtRead | kProtExec,
                                         "[vectors]")) {
            error = "cannot map the kuser helper page";
            return false;
        }
        bool written = true;
        auto put = [&](u64 address, std::initializer_list<u32> words) {
            u64 at = address;
            for (u32 word : words) {
                written = written && uc_mem_write(process.uc(), at, &word, 4) == UC_ERR_OK;
                at += 4;
            }
        };
        put(0xffff0fa0, {0xf57ff05b, 0xe12fff1e}); // dmb ish; bx lr
        // ldr r3,[r2]; subs r3,r3,r0; streq r1,[r2]; rsbs r0,r3,#0; bx lr
        put(0xffff0fc0, {0xe5923000, 0xe0533000, 0x05821000, 0xe2730000, 0xe12fff1e});
        put(0xffff0fe0, {0xee1d0f70, 0xe12fff1e}); // mrc p15,0,r0,c13,c0,3; bx lr
        put(0xffff0ffc, {3});                      // __kuser_helper_version
        // The signal return trampolines (Linux's sigpage): a handler without
        // SA_RESTORER returns here, not to the frame's retcode, which a
        // non-executable stack (Go's gsignal stacks) could not run.
        put(kArmSigreturnTrampoline, {0xe3a07077, 0xef000000});   // mov r7, #119; svc 0
        put(kArmRtSigreturnTrampoline, {0xe3a070ad, 0xef000000}); // mov r7, #173; svc 0
        if (!written)
            error = "cannot write the kuser helper page";
        return written;
    }
    bool is_atomic_region(u64 pc) const override {
        return pc >= kKuserPage && pc < kKuserPage + kPageSize;
    }

    SyscallArgs syscall_args(uc_engine* uc) const override {
        SyscallArgs args;
        args.nr = reg32(uc, UC_ARM_REG_R7);
        const int ids[6] = {UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2,
                            UC_ARM_REG_R3, UC_ARM_REG_R4, UC_ARM_REG_R5};
        for (std::size_t i = 0; i < 6; ++i)
            args.a[i] = reg32(uc, ids[i]);
        return args;
    }
    void set_syscall_result(uc_engine* uc, i64 result) const override {
        set_reg32(uc, UC_ARM_REG_R0, static_cast<u32>(result));
    }
    void rewind_syscall(uc_engine* uc, const SyscallArgs& args) const override {
        arm::set_pc(uc, reg32(uc, UC_ARM_REG_PC) - (arm::thumb(uc) ? 2 : 4));
        set_reg32(uc, UC_ARM_REG_R0, static_cast<u32>(args.a[0]));
        set_reg32(uc, UC_ARM_REG_R7, static_cast<u32>(args.nr));
    }
    void start_child(uc_engine* uc, u64 stack) const override {
        set_reg32(uc, UC_ARM_REG_R0, 0);
        if (stack != 0)
            set_reg32(uc, UC_ARM_REG_SP, static_cast<u32>(stack));
    }
    i64 set_thread_pointer(Process& process, Lwp&, u64 tls) const override {
        set_reg32(process.uc(), UC_ARM_REG_C13_C0_3, static_cast<u32>(tls));
        return 0;
    }

    bool push_signal_frame(Process& process, Lwp& lwp,
                           const SignalDelivery& delivery) const override {
        return push_frame_arm(process, lwp, delivery);
    }
    u64 sigreturn_frame(uc_engine* uc, bool rt) const override {
        return sigreturn_frame_arm(uc, rt);
    }
    std::optional<u64> signal_return(Process& process, Lwp& lwp, bool rt,
                                     u64 frame) const override {
        return sigreturn_arm(process, lwp, rt, frame);
    }
};

} // namespace

std::unique_ptr<LinuxAbi> make_linux_abi_arm() {
    return std::make_unique<LinuxArm>();
}

} // namespace crossrt::kernel
