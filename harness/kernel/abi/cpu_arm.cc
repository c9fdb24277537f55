// arm (ARMv7, EABI): `svc` and the exceptions arrive through UC_HOOK_INTR.
// VFP is on (CPACR cp10/cp11, FPEXC.EN). Reading PC drops the Thumb bit, so
// every restart uses pc | CPSR.T (cpu_arm.h).
#include "kernel/abi/cpu_arm.h"

#include "kernel/abi/cpu.h"
#include "kernel/abi/regs.h"
#include "kernel/process.h"

#include <fmt/format.h>

namespace crossrt::kernel {
namespace {

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

class CpuArm : public Cpu {
public:
    Arch arch() const override { return Arch::arm; }
    int word_size() const override { return 4; }
    uc_arch unicorn_arch() const override { return UC_ARCH_ARM; }
    uc_mode unicorn_mode() const override { return UC_MODE_ARM; }
    u64 address_limit() const override { return 0xff000000; }
    u64 stack_top() const override { return 0xbeff0000; }
    u64 pie_base() const override { return 0x00400000; }
    u64 interpreter_base() const override { return 0xb6fc0000; }
    bool init_cpu(Process& machine, std::string&) override {
        uc_engine* uc = machine.uc();
        set_reg32(uc, UC_ARM_REG_C1_C0_2, reg32(uc, UC_ARM_REG_C1_C0_2) | (0xfu << 20));
        set_reg32(uc, UC_ARM_REG_FPEXC, 0x40000000);
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
    void set_pc(uc_engine* uc, u64 pc) const override { arm::set_pc(uc, pc); }
    u64 sp(uc_engine* uc) const override { return reg32(uc, UC_ARM_REG_SP); }
    void set_sp(uc_engine* uc, u64 sp) const override {
        set_reg32(uc, UC_ARM_REG_SP, static_cast<u32>(sp));
    }
    u64 resume_address(uc_engine* uc) const override { return arm::resume_address(uc); }
    bool thumb(uc_engine* uc) const override { return arm::thumb(uc); }
    u64 never_reached() const override { return 0xffffffffull; }

    std::string describe(uc_engine* uc) const override {
        return fmt::format("pc {:#x} sp {:#x} lr {:#x} cpsr {:#x}", reg32(uc, UC_ARM_REG_PC),
                           reg32(uc, UC_ARM_REG_SP), reg32(uc, UC_ARM_REG_LR),
                           reg32(uc, UC_ARM_REG_CPSR));
    }
};

} // namespace

std::unique_ptr<Cpu> make_cpu_arm() {
    return std::make_unique<CpuArm>();
}

} // namespace crossrt::kernel
