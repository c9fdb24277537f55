// amd64: `syscall` arrives through UC_HOOK_INSN, exceptions through
// UC_HOOK_INTR. The thread pointer is the FS base, part of every LWP's
// saved context.
#include "kernel/abi/cpu.h"
#include "kernel/abi/regs.h"
#include "kernel/abi/x86_cpuid.h"
#include "kernel/abi/x86_traps.h"
#include "kernel/process.h"

#include <fmt/format.h>

namespace crossrt::kernel {
namespace {

void hook_syscall(uc_engine*, void* user) {
    static_cast<Process*>(user)->on_syscall_trap();
}

// Exceptions other than syscall: #DE, #UD, #GP, int3...
void hook_interrupt(uc_engine*, u32 number, void* user) {
    x86::raise_exception(*static_cast<Process*>(user), number);
}

class CpuAmd64 : public Cpu {
public:
    Arch arch() const override { return Arch::amd64; }
    int word_size() const override { return 8; }
    uc_arch unicorn_arch() const override { return UC_ARCH_X86; }
    uc_mode unicorn_mode() const override { return UC_MODE_64; }
    u64 address_limit() const override { return 0x7ffffffff000ull; }
    u64 stack_top() const override { return 0x7ffffffde000ull; }
    u64 pie_base() const override { return 0x555555554000ull; }
    u64 interpreter_base() const override { return 0x7ffff7fc0000ull; }

    bool init_cpu(Process& machine, std::string& error) override {
        return enable_sse_state(machine.uc(), error);
    }

    bool add_hooks(Process& machine, std::string& error) override {
        uc_hook hook;
        return checked(uc_hook_add(machine.uc(), &hook, UC_HOOK_INSN,
                                   reinterpret_cast<void*>(&hook_syscall), &machine, 1, 0,
                                   UC_X86_INS_SYSCALL),
                       "uc_hook_add(syscall)", error) &&
               checked(uc_hook_add(machine.uc(), &hook, UC_HOOK_INTR,
                                   reinterpret_cast<void*>(&hook_interrupt), &machine, 1, 0),
                       "uc_hook_add(interrupts)", error) &&
               checked(uc_hook_add(machine.uc(), &hook, UC_HOOK_INSN,
                                   reinterpret_cast<void*>(&X86Cpuid::hook), &cpuid_, 1, 0,
                                   UC_X86_INS_CPUID),
                       "uc_hook_add(cpuid)", error);
    }
    X86Cpuid cpuid_{UC_MODE_64};
    u64 cpuid_features() const override { return cpuid_.leaf1_edx(); }
    int trap_number(FaultKind kind) const override { return x86::trap_number(kind); }

    u64 pc(uc_engine* uc) const override { return reg64(uc, UC_X86_REG_RIP); }
    void set_pc(uc_engine* uc, u64 pc) const override { set_reg64(uc, UC_X86_REG_RIP, pc); }
    u64 sp(uc_engine* uc) const override { return reg64(uc, UC_X86_REG_RSP); }
    void set_sp(uc_engine* uc, u64 sp) const override { set_reg64(uc, UC_X86_REG_RSP, sp); }
    u64 never_reached() const override { return ~u64{0}; }

    std::string describe(uc_engine* uc) const override {
        return fmt::format("rip {:#x} rsp {:#x} rax {:#x}", reg64(uc, UC_X86_REG_RIP),
                           reg64(uc, UC_X86_REG_RSP), reg64(uc, UC_X86_REG_RAX));
    }
};

} // namespace

std::unique_ptr<Cpu> make_cpu_amd64() {
    return std::make_unique<CpuAmd64>();
}

} // namespace crossrt::kernel
