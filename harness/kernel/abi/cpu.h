// The CPU layer, one implementation per arch (cpu_<arch>.cc) and the same
// under every personality: the Unicorn mode, the address-space layout, how
// the CPU is set up, the hooks traps arrive by (syscall instruction,
// int $0x80, svc), pc and sp, the per-LWP machine state. How an OS uses
// the traps is its ABI's business (linux.h, netbsd.h).
#pragma once

#include "kernel/lwp.h"
#include "kernel/signal/action.h"
#include "kernel/types.h"

#include <memory>
#include <string>
#include <unicorn/unicorn.h>

namespace crossrt::kernel {

class Process;

// What went wrong at an instruction, for the trap number a signal frame
// reports (trapno, trap_no): each arch numbers them its own way.
enum class FaultKind {
    page_fault,
    protection,
    invalid_opcode,
    alignment,
    breakpoint,
    divide_error
};

class Cpu {
public:
    virtual ~Cpu() = default;
    virtual Arch arch() const = 0;
    virtual int word_size() const = 0;
    virtual uc_arch unicorn_arch() const = 0;
    virtual uc_mode unicorn_mode() const = 0;
    // Where the guest's address space ends and mmap allocates from.
    virtual u64 address_limit() const = 0;
    virtual u64 stack_top() const = 0;
    virtual u64 pie_base() const = 0;
    // Where a dynamic program's interpreter (an ET_DYN ld.so) is loaded:
    // fixed, so that a run stays a function of its seed; below the mmap
    // area's top, which mmap then allocates below.
    virtual u64 interpreter_base() const = 0;
    // x86: CPUID leaf 1's EDX as the kernel answers CPUID (Linux's
    // AT_HWCAP there); 0 elsewhere.
    virtual u64 cpuid_features() const { return 0; }

    // A fresh engine: CPU modes, FP, the kernel's guest pages. Called once,
    // before any LWP exists; its state becomes the first LWP's context.
    virtual bool init_cpu(Process& machine, std::string& error) = 0;
    // The trap hooks (syscall instruction, interrupts). Added before the
    // first run; false (with the reason in error) when Unicorn refuses one.
    virtual bool add_hooks(Process& machine, std::string& error) = 0;
    // The arch's number for a kind of fault.
    virtual int trap_number(FaultKind kind) const = 0;

    virtual u64 pc(uc_engine* uc) const = 0;
    virtual void set_pc(uc_engine* uc, u64 pc) const = 0;
    virtual u64 sp(uc_engine* uc) const = 0;
    virtual void set_sp(uc_engine* uc, u64 sp) const = 0;
    // The address to resume at (arm: with the Thumb bit).
    virtual u64 resume_address(uc_engine* uc) const { return pc(uc); }
    // The address uc_emu_start is told to stop at: one no guest can reach.
    virtual u64 never_reached() const = 0;
    // arm: the CPU runs Thumb code (blocks are decoded in its mode).
    virtual bool thumb(uc_engine*) const { return false; }

    // A new LWP's per-thread kernel state (386: its own GDT, a copy of the
    // parent's) while the child's registers are live.
    virtual bool init_child(Process&, Lwp& /*parent*/, Lwp& /*child*/) const { return true; }

    // A one-line register summary for reports.
    virtual std::string describe(uc_engine* uc) const = 0;
};

std::unique_ptr<Cpu> make_cpu_amd64();
std::unique_ptr<Cpu> make_cpu_386();
std::unique_ptr<Cpu> make_cpu_arm();
std::unique_ptr<Cpu> make_cpu(Arch arch);

} // namespace crossrt::kernel
