// 386: `int $0x80` and the exceptions arrive through UC_HOOK_INTR; cpuid
// through UC_HOOK_INSN (leaf 1 with MMX, which Unicorn leaves out).
//
// Thread pointers: FS/GS base writes do nothing in 32-bit mode, so segments
// are real. Each LWP has its own GDT page (GDTR is part of its saved
// context; set_thread_area writes entries 6-8), copied from its creator's
// at clone, as Linux copies TLS slots. The process has one LDT (modify_ldt),
// which the runtime core uses: one entry per thread, selector index<<3|7.
// The CPU runs at ring 0 (Unicorn's reset state); data descriptors are DPL 3
// as Linux makes them, which ring 0 may load.
#include "kernel/abi/cpu.h"
#include "kernel/abi/descriptors_386.h"
#include "kernel/abi/regs.h"
#include "kernel/abi/x86_cpuid.h"
#include "kernel/abi/x86_traps.h"
#include "kernel/process.h"

#include <fmt/format.h>

namespace crossrt::kernel {
namespace {

using namespace i386;

// int $0x80 is the system call; every other vector an exception.
void hook_interrupt(uc_engine*, u32 number, void* user) {
    auto* process = static_cast<Process*>(user);
    if (number == 0x80)
        process->on_syscall_trap();
    else
        x86::raise_exception(*process, number);
}

class Cpu386 : public Cpu {
public:
    Arch arch() const override { return Arch::i386; }
    int word_size() const override { return 4; }
    uc_arch unicorn_arch() const override { return UC_ARCH_X86; }
    uc_mode unicorn_mode() const override { return UC_MODE_32; }
    u64 address_limit() const override { return kLdtBase; }
    u64 stack_top() const override { return 0xbfff0000; }
    u64 pie_base() const override { return 0x56555000; }
    u64 interpreter_base() const override { return 0xb7fc0000; }

    bool init_cpu(Process& machine, std::string& error) override {
        if (!enable_sse_state(machine.uc(), error))
            return false;
        if (!machine.memory().map_kernel(kLdtBase, kLdtEntries * 8, kProtRead | kProtWrite,
                                         "[ldt]")) {
            error = "cannot map the LDT";
            return false;
        }
        uc_x86_mmr ldtr{};
        ldtr.selector = 0;
        ldtr.base = kLdtBase;
        ldtr.limit = kLdtEntries * 8 - 1;
        ldtr.flags = (1u << 15) | (2u << 8); // present, type LDT
        if (!checked(uc_reg_write(machine.uc(), UC_X86_REG_LDTR, &ldtr), "uc_reg_write(LDTR)",
                     error))
            return false;
        if (!map_gdt_area(machine) || !new_gdt(machine, 0)) {
            error = "cannot map a GDT";
            return false;
        }
        // Flat segments as Linux lays out its GDT. Unicorn's reset state has
        // no descriptors behind CS/SS, and the first segment load (the
        // guest's %gs) recomputes the stack size from SS's descriptor: a
        // zero one makes the stack 16-bit. So SS gets a real 32-bit
        // descriptor; it must be ring 0 (the CPU's CPL), DS and ES are
        // user data.
        const u64 entries[][2] = {{12, 0x00cf9b000000ffffull},  // kernel code
                                  {13, 0x00cf93000000ffffull},  // kernel data (SS)
                                  {14, 0x00cffb000000ffffull},  // user code
                                  {15, 0x00cff3000000ffffull}}; // user data
        for (const auto& entry : entries) {
            if (write_gdt_entry(machine, entry[0], entry[1]) < 0) {
                error = "cannot write the flat segments";
                return false;
            }
        }
        for (auto [id, selector] :
             {std::pair{UC_X86_REG_SS, 13u << 3}, std::pair{UC_X86_REG_DS, 15u << 3 | 3},
              std::pair{UC_X86_REG_ES, 15u << 3 | 3}}) {
            if (uc_reg_write(machine.uc(), id, &selector) != UC_ERR_OK) {
                error = "cannot load the flat segments";
                return false;
            }
        }
        return true;
    }

    bool add_hooks(Process& machine, std::string& error) override {
        uc_hook hook;
        if (!checked(uc_hook_add(machine.uc(), &hook, UC_HOOK_INTR,
                                 reinterpret_cast<void*>(&hook_interrupt), &machine, 1, 0),
                     "uc_hook_add(interrupts)", error))
            return false;
        return checked(uc_hook_add(machine.uc(), &hook, UC_HOOK_INSN,
                                   reinterpret_cast<void*>(&X86Cpuid::hook), &cpuid_, 1, 0,
                                   UC_X86_INS_CPUID),
                       "uc_hook_add(cpuid)", error);
    }
    int trap_number(FaultKind kind) const override { return x86::trap_number(kind); }

    X86Cpuid cpuid_{UC_MODE_32};
    u64 cpuid_features() const override { return cpuid_.leaf1_edx(); }

    u64 pc(uc_engine* uc) const override { return reg32(uc, UC_X86_REG_EIP); }
    void set_pc(uc_engine* uc, u64 pc) const override {
        set_reg32(uc, UC_X86_REG_EIP, static_cast<u32>(pc));
    }
    u64 sp(uc_engine* uc) const override { return reg32(uc, UC_X86_REG_ESP); }
    void set_sp(uc_engine* uc, u64 sp) const override {
        set_reg32(uc, UC_X86_REG_ESP, static_cast<u32>(sp));
    }
    u64 never_reached() const override { return 0xffffffffull; }

    bool init_child(Process& machine, Lwp&, Lwp&) const override {
        return new_gdt(machine, gdt_base(machine.uc()));
    }

    std::string describe(uc_engine* uc) const override {
        return fmt::format("eip {:#x} esp {:#x} eax {:#x} gs {:#x}", reg32(uc, UC_X86_REG_EIP),
                           reg32(uc, UC_X86_REG_ESP), reg32(uc, UC_X86_REG_EAX),
                           reg32(uc, UC_X86_REG_GS));
    }
};

} // namespace

std::unique_ptr<Cpu> make_cpu_386() {
    return std::make_unique<Cpu386>();
}

} // namespace crossrt::kernel
