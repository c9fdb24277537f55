// arm (EABI): `svc #0` arrives through UC_HOOK_INTR (EXCP_SWI); number in r7,
// arguments in r0-r5, result (or -errno) in r0. The thread pointer is
// TPIDRURO (set_tls, 0x0f0005). VFP is on (CPACR cp10/cp11, FPEXC.EN). The
// kernel user helpers live at 0xffff0000 (get_tls at 0xffff0fe0, cmpxchg at
// 0xffff0fc0 with the carry flag set on success, the memory barrier at
// 0xffff0fa0); an LWP is never preempted inside them, which makes the
// uniprocessor cmpxchg sequence atomic. Reading PC drops the Thumb bit, so
// every restart uses pc | CPSR.T.
#include "kernel/abi/abi.h"
#include "kernel/abi/regs.h"
#include "kernel/process.h"
#include "kernel/signal_frame.h"

#include <fmt/format.h>

namespace crossrt::kernel {
namespace {

constexpr u64 kKuserPage = 0xffff0000;
constexpr u32 kCpsrThumb = 0x20;

// The trap_no Linux's arm signal frames report (arch/arm: __do_user_fault
// writes 14 for a data or prefetch abort, do_undefinstr 6; a breakpoint 1).
constexpr int kTrapAbort = 14;
constexpr int kTrapUndefined = 6;
constexpr int kTrapBreakpoint = 1;

// QEMU's arm exception numbers.
constexpr u32 kExcpUdef = 1;
constexpr u32 kExcpSwi = 2;
constexpr u32 kExcpPrefetchAbort = 3;
constexpr u32 kExcpDataAbort = 4;
constexpr u32 kExcpBkpt = 7;

void hook_interrupt(uc_engine*, u32 number, void* user) {
    auto* machine = static_cast<Process*>(user);
    switch (number) {
    case kExcpSwi:
        machine->on_syscall_trap();
        break;
    case kExcpUdef:
        machine->on_fault_trap(sig::ILL, 1 /*ILL_ILLOPC*/, 0, kTrapUndefined);
        break;
    case kExcpBkpt:
        machine->on_fault_trap(sig::TRAP, 1 /*TRAP_BRKPT*/, 0, kTrapBreakpoint);
        break;
    case kExcpPrefetchAbort:
    case kExcpDataAbort:
        machine->on_fault_trap(sig::SEGV, 1 /*SEGV_MAPERR*/, 0, kTrapAbort);
        break;
    default:
        machine->on_fault_trap(sig::ILL, kSiKernel, 0, static_cast<int>(number));
        break;
    }
}

class AbiArm : public Abi {
public:
    Arch arch() const override { return Arch::arm; }
    int word_size() const override { return 4; }
    uc_arch unicorn_arch() const override { return UC_ARCH_ARM; }
    uc_mode unicorn_mode() const override { return UC_MODE_ARM; }
    u64 address_limit() const override { return 0xff000000; }
    u64 stack_top() const override { return 0xbeff0000; }
    u64 pie_base() const override { return 0x00400000; }
    // HWCAP: SWP HALF THUMB FAST_MULT VFP EDSP NEON VFPv3 TLS VFPv4 IDIVA IDIVT
    u64 hwcap() const override {
        return 1 | 2 | 4 | 16 | 64 | 128 | 4096 | 8192 | 32768 | 65536 | (1 << 17) | (1 << 18);
    }
    std::string platform() const override { return "v7l"; }

    bool init_cpu(Process& machine, std::string& error) override {
        uc_engine* uc = machine.uc();
        set_reg32(uc, UC_ARM_REG_C1_C0_2, reg32(uc, UC_ARM_REG_C1_C0_2) | (0xfu << 20));
        set_reg32(uc, UC_ARM_REG_FPEXC, 0x40000000);
        if (!machine.memory().map_kernel(kKuserPage, kPageSize, kProtRead | kProtExec,
                                         "[vectors]")) {
            error = "cannot map the kuser helper page";
            return false;
        }
        auto put = [&](u64 address, std::initializer_list<u32> words) {
            u64 at = address;
            for (u32 word : words) {
                uc_mem_write(uc, at, &word, 4);
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
        return true;
    }

    bool add_hooks(Process& machine, std::string& error) override {
        uc_hook hook;
        return checked(uc_hook_add(machine.uc(), &hook, UC_HOOK_INTR,
                                   reinterpret_cast<void*>(&hook_interrupt), &machine, 1, 0),
                       "uc_hook_add(interrupts)", error);
    }
    // Every fault Unicorn reports is an abort or an undefined instruction
    // on arm; a general-protection fault has no counterpart, nor a divide
    // error (udiv by zero gives 0).
    int trap_number(FaultKind kind) const override {
        switch (kind) {
        case FaultKind::invalid_opcode:
            return kTrapUndefined;
        case FaultKind::breakpoint:
            return kTrapBreakpoint;
        case FaultKind::page_fault:
        case FaultKind::protection:
        case FaultKind::alignment:
        case FaultKind::divide_error:
            return kTrapAbort;
        }
        return kTrapAbort;
    }

    u64 pc(uc_engine* uc) const override { return reg32(uc, UC_ARM_REG_PC); }
    void set_pc(uc_engine* uc, u64 pc) const override {
        bool thumb = (reg32(uc, UC_ARM_REG_CPSR) & kCpsrThumb) != 0;
        set_reg32(uc, UC_ARM_REG_PC, static_cast<u32>(pc) | (thumb ? 1 : 0));
    }
    u64 sp(uc_engine* uc) const override { return reg32(uc, UC_ARM_REG_SP); }
    void set_sp(uc_engine* uc, u64 sp) const override {
        set_reg32(uc, UC_ARM_REG_SP, static_cast<u32>(sp));
    }
    u64 resume_address(uc_engine* uc) const override {
        bool thumb = (reg32(uc, UC_ARM_REG_CPSR) & kCpsrThumb) != 0;
        return reg32(uc, UC_ARM_REG_PC) | (thumb ? 1 : 0);
    }
    u64 never_reached() const override { return 0xffffffffull; }

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
        bool thumb = (reg32(uc, UC_ARM_REG_CPSR) & kCpsrThumb) != 0;
        set_pc(uc, reg32(uc, UC_ARM_REG_PC) - (thumb ? 2 : 4));
        set_reg32(uc, UC_ARM_REG_R0, static_cast<u32>(args.a[0]));
        set_reg32(uc, UC_ARM_REG_R7, static_cast<u32>(args.nr));
    }
    void start_child(uc_engine* uc, u64 stack) const override {
        set_reg32(uc, UC_ARM_REG_R0, 0);
        if (stack != 0)
            set_reg32(uc, UC_ARM_REG_SP, static_cast<u32>(stack));
    }
    i64 set_thread_pointer(Process& machine, Lwp&, u64 tls) const override {
        set_reg32(machine.uc(), UC_ARM_REG_C13_C0_3, static_cast<u32>(tls));
        return 0;
    }
    bool is_atomic_region(u64 pc) const override {
        return pc >= kKuserPage && pc < kKuserPage + kPageSize;
    }

    bool push_signal_frame(Process& machine, Lwp& lwp,
                           const SignalDelivery& delivery) const override {
        return push_frame_arm(machine, lwp, delivery);
    }
    u64 sigreturn_frame(uc_engine* uc, bool rt) const override {
        return sigreturn_frame_arm(uc, rt);
    }
    std::optional<u64> signal_return(Process& machine, Lwp& lwp, bool rt,
                                     u64 frame) const override {
        return sigreturn_arm(machine, lwp, rt, frame);
    }

    std::string describe(uc_engine* uc) const override {
        return fmt::format("pc {:#x} sp {:#x} lr {:#x} cpsr {:#x}", reg32(uc, UC_ARM_REG_PC),
                           reg32(uc, UC_ARM_REG_SP), reg32(uc, UC_ARM_REG_LR),
                           reg32(uc, UC_ARM_REG_CPSR));
    }
};

} // namespace

std::unique_ptr<Abi> make_abi_arm() {
    return std::make_unique<AbiArm>();
}

} // namespace crossrt::kernel
