// The ABI layer, one implementation per arch: how the CPU is set up, how a
// trap arrives (syscall instruction, int $0x80, svc) and where the number,
// arguments and result live; thread pointers; signal frames.
#pragma once

#include "kernel/lwp.h"
#include "kernel/types.h"

#include <memory>
#include <string>
#include <unicorn/unicorn.h>

namespace crossrt::kernel {

class Process;
class X86InstructionCheck;

// A signal about to run a handler.
struct SignalDelivery {
    int signo = 0;
    SigInfo info;
    u64 handler = 0;
    u64 flags = 0;
    u64 restorer = 0;
    u64 old_mask = 0; // the mask to restore at sigreturn
    u64 sp = 0;       // where the frame goes below (the altstack top or the current sp)
    AltStack altstack;
    bool on_altstack = false; // the interrupted code ran on the altstack
};

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

class Abi {
public:
    virtual ~Abi() = default;
    virtual Arch arch() const = 0;
    virtual int word_size() const = 0;
    virtual uc_arch unicorn_arch() const = 0;
    virtual uc_mode unicorn_mode() const = 0;
    // Where the guest's address space ends and mmap allocates from.
    virtual u64 address_limit() const = 0;
    virtual u64 stack_top() const = 0;
    virtual u64 pie_base() const = 0;
    virtual u64 hwcap() const { return 0; }
    virtual std::string platform() const = 0;

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

    virtual SyscallArgs syscall_args(uc_engine* uc) const = 0;
    virtual void set_syscall_result(uc_engine* uc, i64 result) const = 0;
    // Makes the interrupted call run again: pc back onto the trap
    // instruction, the number (and on arm r0) restored.
    virtual void rewind_syscall(uc_engine* uc, const SyscallArgs& args) const = 0;

    // The child side of clone: result 0 and the new stack pointer.
    virtual void start_child(uc_engine* uc, u64 stack) const = 0;
    // CLONE_SETTLS / arch_prctl / set_tls: points the thread pointer of the
    // running LWP (whose registers are live) at tls. -errno on failure.
    virtual i64 set_thread_pointer(Process& machine, Lwp& lwp, u64 tls) const = 0;
    // A new LWP's per-thread kernel state (386: its own GDT, a copy of the
    // parent's) while the child's registers are live.
    virtual bool init_child(Process&, Lwp& /*parent*/, Lwp& /*child*/) const { return true; }
    // Never preempt an LWP here (arm: inside the kuser helpers).
    virtual bool is_atomic_region(u64 /*pc*/) const { return false; }

    // Builds the rt signal frame and points the live registers at the
    // handler. False when the frame cannot be written (the caller kills
    // the process with SIGSEGV, as Linux does).
    virtual bool push_signal_frame(Process& machine, Lwp& lwp,
                                   const SignalDelivery& delivery) const = 0;
    // rt_sigreturn (rt) or sigreturn: where the frame is, from the live sp.
    virtual u64 sigreturn_frame(uc_engine* uc, bool rt) const = 0;
    // Restores the live registers from that frame and returns the signal
    // mask it holds; nullopt when the frame cannot be read.
    virtual std::optional<u64> signal_return(Process& machine, Lwp& lwp, bool rt,
                                             u64 frame) const = 0;

    // x86: what must be checked before an instruction runs (x86_check.h).
    virtual X86InstructionCheck* instruction_check() { return nullptr; }

    // A one-line register summary for reports.
    virtual std::string describe(uc_engine* uc) const = 0;
};

std::unique_ptr<Abi> make_abi_amd64();
std::unique_ptr<Abi> make_abi_386();
std::unique_ptr<Abi> make_abi_arm();
std::unique_ptr<Abi> make_abi(Arch arch);

} // namespace crossrt::kernel
