// 386: `int $0x80` arrives through UC_HOOK_INTR; number in eax, arguments in
// ebx ecx edx esi edi ebp, result (or -errno) in eax.
//
// Thread pointers: FS/GS base writes do nothing in 32-bit mode, so segments
// are real. Each LWP has its own GDT page (GDTR is part of its saved
// context; set_thread_area writes entries 6-8), copied from its creator's
// at clone, as Linux copies TLS slots. The process has one LDT (modify_ldt),
// which the runtime core uses: one entry per thread, selector index<<3|7.
// The CPU runs at ring 0 (Unicorn's reset state); data descriptors are DPL 3
// as Linux makes them, which ring 0 may load.
#include "kernel/abi/abi_386.h"

#include "kernel/abi/abi.h"
#include "kernel/abi/regs.h"
#include "kernel/abi/x86_check.h"
#include "kernel/abi/x86_traps.h"
#include "kernel/process.h"
#include "kernel/signal_frame.h"

#include <fmt/format.h>

namespace crossrt::kernel {
namespace {

constexpr u64 kLdtBase = 0xfe000000;
constexpr u64 kLdtEntries = 8192;
constexpr u64 kGdtArea = 0xfe100000; // one page per LWP from here
constexpr u64 kGdtAreaEnd = 0xff000000;
constexpr u64 kGdtEntries = 32;
constexpr u64 kTlsFirst = 6; // GDT_ENTRY_TLS_MIN
constexpr u64 kTlsCount = 3;

void hook_interrupt(uc_engine*, u32 number, void* user) {
    auto* machine = static_cast<Process*>(user);
    switch (number) {
    case 0x80:
        machine->on_syscall_trap();
        break;
    case x86::kDivideError:
        machine->on_fault_trap(sig::FPE, 1 /*FPE_INTDIV*/, 0, x86::kDivideError);
        break;
    case x86::kBreakpoint:
        machine->on_fault_trap(sig::TRAP, kSiKernel, 0, x86::kBreakpoint);
        break;
    case x86::kInvalidOpcode:
        machine->on_fault_trap(sig::ILL, 2 /*ILL_ILLOPN*/, 0, x86::kInvalidOpcode);
        break;
    default:
        machine->on_fault_trap(sig::SEGV, kSiKernel, 0, static_cast<int>(number));
        break;
    }
}

// struct user_desc: entry_number, base_addr, limit, then flag bits.
struct UserDesc {
    u32 entry_number;
    u32 base_addr;
    u32 limit;
    u32 flags; // seg_32bit:1 contents:2 read_exec_only:1 limit_in_pages:1 seg_not_present:1
               // useable:1
};

// A descriptor as Linux's fill_ldt makes it; an "empty" user_desc clears it.
u64 descriptor_of(const UserDesc& desc) {
    u32 seg_32bit = desc.flags & 1;
    u32 contents = (desc.flags >> 1) & 3;
    u32 read_exec_only = (desc.flags >> 3) & 1;
    u32 limit_in_pages = (desc.flags >> 4) & 1;
    u32 seg_not_present = (desc.flags >> 5) & 1;
    u32 useable = (desc.flags >> 6) & 1;
    bool empty = desc.base_addr == 0 && desc.limit == 0 && contents == 0 && read_exec_only == 1 &&
                 seg_32bit == 0 && limit_in_pages == 0 && seg_not_present == 1 && useable == 0;
    if (empty)
        return 0;
    u32 type = ((read_exec_only ^ 1) << 1) | (contents << 2) | 1;
    u32 low = ((desc.base_addr & 0xffff) << 16) | (desc.limit & 0xffff);
    u32 high = (desc.base_addr & 0xff000000) | ((desc.base_addr >> 16) & 0xff) |
               (desc.limit & 0xf0000) | (type << 8) | (1u << 12) | (3u << 13) |
               ((seg_not_present ^ 1) << 15) | (useable << 20) | (seg_32bit << 22) |
               (limit_in_pages << 23);
    return (u64{high} << 32) | low;
}

u64 gdt_base(uc_engine* uc) {
    uc_x86_mmr gdtr{};
    uc_reg_read(uc, UC_X86_REG_GDTR, &gdtr);
    return gdtr.base;
}

class Abi386 : public Abi {
public:
    Arch arch() const override { return Arch::i386; }
    int word_size() const override { return 4; }
    uc_arch unicorn_arch() const override { return UC_ARCH_X86; }
    uc_mode unicorn_mode() const override { return UC_MODE_32; }
    u64 address_limit() const override { return kLdtBase; }
    u64 stack_top() const override { return 0xbfff0000; }
    u64 pie_base() const override { return 0x56555000; }
    std::string platform() const override { return "i686"; }

    bool init_cpu(Process& machine, std::string& error) override {
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
        uc_reg_write(machine.uc(), UC_X86_REG_LDTR, &ldtr);
        if (!new_gdt(machine, 0)) {
            error = "cannot map a GDT";
            return false;
        }
        // Flat segments as Linux lays out its GDT. Unicorn's reset state has
        // no descriptors behind CS/SS, and the first segment load (the
        // guest's %gs) recomputes the stack size from SS's descriptor: a
        // zero one makes the stack 16-bit. So SS gets a real 32-bit
        // descriptor; it must be ring 0 (the CPU's CPL), DS and ES are
        // user data.
        u64 base = gdt_base(machine.uc());
        const u64 entries[][2] = {{12, 0x00cf9b000000ffffull},  // kernel code
                                  {13, 0x00cf93000000ffffull},  // kernel data (SS)
                                  {14, 0x00cffb000000ffffull},  // user code
                                  {15, 0x00cff3000000ffffull}}; // user data
        for (const auto& entry : entries)
            uc_mem_write(machine.uc(), base + entry[0] * 8, &entry[1], 8);
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
        probe_cpuid_leaf1();
        return checked(uc_hook_add(machine.uc(), &hook, UC_HOOK_INSN,
                                   reinterpret_cast<void*>(&hook_cpuid), this, 1, 0,
                                   UC_X86_INS_CPUID),
                       "uc_hook_add(cpuid)", error);
    }
    int trap_number(FaultKind kind) const override { return x86::trap_number(kind); }

    // Unicorn 2.0.1 reports no MMX (CPUID.1:EDX bit 23) in 32-bit mode for
    // any CPU model (measured: every UC_CPU_X86_* model answers EDX
    // 0x07088100, SSE and SSE2 but no MMX), though its TCG runs MMX code; Go's
    // 386 runtime refuses to start without the bit. Leaf 1 is Unicorn's own
    // answer, taken once from a scratch engine, with MMX added.
    void probe_cpuid_leaf1() {
        uc_engine* scratch = nullptr;
        if (uc_open(UC_ARCH_X86, UC_MODE_32, &scratch) != UC_ERR_OK)
            return;
        const u8 code[] = {0xb8, 0x01, 0x00, 0x00, 0x00, 0x0f, 0xa2}; // mov eax, 1; cpuid
        constexpr u64 kAt = 0x1000;
        if (uc_mem_map(scratch, kAt, 0x1000, UC_PROT_ALL) == UC_ERR_OK &&
            uc_mem_write(scratch, kAt, code, sizeof code) == UC_ERR_OK &&
            uc_emu_start(scratch, kAt, kAt + sizeof code, 0, 0) == UC_ERR_OK) {
            leaf1_ = {reg32(scratch, UC_X86_REG_EAX), reg32(scratch, UC_X86_REG_EBX),
                      reg32(scratch, UC_X86_REG_ECX), reg32(scratch, UC_X86_REG_EDX) | kCpuidMmx};
            have_leaf1_ = true;
        }
        uc_close(scratch);
    }

    static int hook_cpuid(uc_engine* uc, void* user_data) {
        auto* self = static_cast<Abi386*>(user_data);
        if (!self->have_leaf1_ || reg32(uc, UC_X86_REG_EAX) != 1)
            return 0; // Unicorn answers
        set_reg32(uc, UC_X86_REG_EAX, self->leaf1_[0]);
        set_reg32(uc, UC_X86_REG_EBX, self->leaf1_[1]);
        set_reg32(uc, UC_X86_REG_ECX, self->leaf1_[2]);
        set_reg32(uc, UC_X86_REG_EDX, self->leaf1_[3]);
        return 1; // the instruction is done
    }
    static constexpr u32 kCpuidMmx = 1u << 23;
    std::array<u32, 4> leaf1_{};
    bool have_leaf1_ = false;

    u64 pc(uc_engine* uc) const override { return reg32(uc, UC_X86_REG_EIP); }
    void set_pc(uc_engine* uc, u64 pc) const override {
        set_reg32(uc, UC_X86_REG_EIP, static_cast<u32>(pc));
    }
    u64 sp(uc_engine* uc) const override { return reg32(uc, UC_X86_REG_ESP); }
    void set_sp(uc_engine* uc, u64 sp) const override {
        set_reg32(uc, UC_X86_REG_ESP, static_cast<u32>(sp));
    }
    u64 never_reached() const override { return 0xffffffffull; }

    SyscallArgs syscall_args(uc_engine* uc) const override {
        SyscallArgs args;
        args.nr = reg32(uc, UC_X86_REG_EAX);
        const int ids[6] = {UC_X86_REG_EBX, UC_X86_REG_ECX, UC_X86_REG_EDX,
                            UC_X86_REG_ESI, UC_X86_REG_EDI, UC_X86_REG_EBP};
        for (std::size_t i = 0; i < 6; ++i)
            args.a[i] = reg32(uc, ids[i]);
        return args;
    }
    void set_syscall_result(uc_engine* uc, i64 result) const override {
        set_reg32(uc, UC_X86_REG_EAX, static_cast<u32>(result));
    }
    void rewind_syscall(uc_engine* uc, const SyscallArgs& args) const override {
        set_reg32(uc, UC_X86_REG_EIP, reg32(uc, UC_X86_REG_EIP) - 2);
        set_reg32(uc, UC_X86_REG_EAX, static_cast<u32>(args.nr));
    }
    void start_child(uc_engine* uc, u64 stack) const override {
        set_reg32(uc, UC_X86_REG_EAX, 0);
        if (stack != 0)
            set_reg32(uc, UC_X86_REG_ESP, static_cast<u32>(stack));
    }
    i64 set_thread_pointer(Process& machine, Lwp& lwp, u64 tls) const override {
        i64 result = i386_set_thread_area(machine, lwp, tls);
        if (result < 0)
            return result;
        // The child's %gs may name the slot just rewritten: reload it, as
        // Linux does on the way back to user mode.
        u32 gs = reg32(machine.uc(), UC_X86_REG_GS);
        if ((gs & 4) == 0 && gs >= 8)
            uc_reg_write(machine.uc(), UC_X86_REG_GS, &gs);
        return 0;
    }
    bool init_child(Process& machine, Lwp&, Lwp&) const override {
        return new_gdt(machine, gdt_base(machine.uc()));
    }

    bool push_signal_frame(Process& machine, Lwp& lwp,
                           const SignalDelivery& delivery) const override {
        return push_frame_386(machine, lwp, delivery);
    }
    u64 sigreturn_frame(uc_engine* uc, bool rt) const override {
        return sigreturn_frame_386(uc, rt);
    }
    std::optional<u64> signal_return(Process& machine, Lwp& lwp, bool rt,
                                     u64 frame) const override {
        return sigreturn_386(machine, lwp, rt, frame);
    }

    X86InstructionCheck* instruction_check() override { return &instruction_check_; }

    std::string describe(uc_engine* uc) const override {
        return fmt::format("eip {:#x} esp {:#x} eax {:#x} gs {:#x}", reg32(uc, UC_X86_REG_EIP),
                           reg32(uc, UC_X86_REG_ESP), reg32(uc, UC_X86_REG_EAX),
                           reg32(uc, UC_X86_REG_GS));
    }

private:
    // A fresh GDT page for the LWP whose registers are live, copied from
    // the one at copy_from (0: empty).
    bool new_gdt(Process& machine, u64 copy_from) const {
        if (next_gdt_ >= kGdtAreaEnd)
            return false;
        u64 base = next_gdt_;
        next_gdt_ += kPageSize;
        if (!machine.memory().map_kernel(base, kPageSize, kProtRead | kProtWrite, "[gdt]"))
            return false;
        if (copy_from != 0) {
            u8 table[kGdtEntries * 8];
            uc_mem_read(machine.uc(), copy_from, table, sizeof table);
            uc_mem_write(machine.uc(), base, table, sizeof table);
        }
        uc_x86_mmr gdtr{};
        gdtr.base = base;
        gdtr.limit = kGdtEntries * 8 - 1;
        uc_reg_write(machine.uc(), UC_X86_REG_GDTR, &gdtr);
        return true;
    }

    mutable u64 next_gdt_ = kGdtArea;
    X86InstructionCheck instruction_check_{false};
};

} // namespace

std::unique_ptr<Abi> make_abi_386() {
    return std::make_unique<Abi386>();
}

i64 i386_set_thread_area(Process& machine, Lwp&, u64 user_desc) {
    UserDesc desc{};
    if (!machine.memory().read_value(user_desc, desc))
        return -err::FAULT;
    u64 gdt = gdt_base(machine.uc());
    u32 index = desc.entry_number;
    if (index == 0xffffffffu) {
        for (u64 slot = kTlsFirst; slot < kTlsFirst + kTlsCount; ++slot) {
            u64 current = 0;
            uc_mem_read(machine.uc(), gdt + slot * 8, &current, 8);
            if (current == 0) {
                index = static_cast<u32>(slot);
                break;
            }
        }
        if (index == 0xffffffffu)
            return -err::SRCH; // no free TLS slot
        desc.entry_number = index;
        if (!machine.memory().write_value(user_desc, desc.entry_number))
            return -err::FAULT;
    }
    if (index < kTlsFirst || index >= kTlsFirst + kTlsCount)
        return -err::INVAL;
    u64 descriptor = descriptor_of(desc);
    uc_mem_write(machine.uc(), gdt + index * 8, &descriptor, 8);
    return 0;
}

i64 i386_set_gs_base(Process& machine, u32 base) {
    // 32-bit, read/write, limit in pages, present, useable: user_desc flags.
    UserDesc desc{static_cast<u32>(kTlsFirst), base, 0xfffff, 1u | (1u << 4) | (1u << 6)};
    u64 descriptor = descriptor_of(desc);
    u64 gdt = gdt_base(machine.uc());
    if (uc_mem_write(machine.uc(), gdt + kTlsFirst * 8, &descriptor, 8) != UC_ERR_OK)
        return -err::FAULT;
    u32 selector = static_cast<u32>(kTlsFirst << 3) | 3;
    uc_reg_write(machine.uc(), UC_X86_REG_GS, &selector);
    return 0;
}

i64 i386_modify_ldt(Process& machine, u64 func, u64 pointer, u64 count) {
    switch (func) {
    case 0: { // read the LDT
        u64 length = std::min<u64>(count, kLdtEntries * 8);
        std::vector<u8> table(length);
        uc_mem_read(machine.uc(), kLdtBase, table.data(), table.size());
        if (!machine.memory().write(pointer, table.data(), table.size()))
            return -err::FAULT;
        return static_cast<i64>(length);
    }
    case 1:
    case 0x11: { // write an entry
        if (count != sizeof(UserDesc))
            return -err::INVAL;
        UserDesc desc{};
        if (!machine.memory().read_value(pointer, desc))
            return -err::FAULT;
        if (desc.entry_number >= kLdtEntries)
            return -err::INVAL;
        u64 descriptor = descriptor_of(desc);
        uc_mem_write(machine.uc(), kLdtBase + u64{desc.entry_number} * 8, &descriptor, 8);
        return 0;
    }
    case 2: // read the default LDT: empty
        return 0;
    default:
        return -err::NOSYS;
    }
}

} // namespace crossrt::kernel
