// What an OS personality decides for a process: how a trap carries the
// call and how its result returns, how LWPs are numbered, what the initial
// stack holds, and how a signal frame is built. One implementation per OS
// (linux/personality.cc, netbsd/personality.cc); the kernel core never
// asks which OS it is running.
#pragma once

#include "kernel/abi/cpu.h"
#include "kernel/elf_load.h"
#include "kernel/signal/action.h"
#include "kernel/types.h"

#include <memory>
#include <string>
#include <string_view>

namespace crossrt::kernel {

namespace posix {
class SyscallTable;
}
class Process;

class Personality {
public:
    virtual ~Personality() = default;
    virtual std::string_view name() const = 0; // "linux", "netbsd"
    virtual std::unique_ptr<posix::SyscallTable> make_syscall_table() const = 0;

    // The call that just trapped on the running LWP, and its result.
    virtual SyscallArgs syscall_args(Process& process) const = 0;
    virtual void set_syscall_result(Process& process, i64 result) const = 0;
    // Makes the interrupted call run again after a signal handler.
    virtual void rewind_syscall(Process& process, const SyscallArgs& args) const = 0;
    // -ENOSYS in the personality's numbering.
    virtual i64 enosys() const = 0;

    // The id an LWP is known by (Linux: a tid from the pid on; NetBSD: the
    // lid, 1 for the main LWP), from its ordinal in its process.
    virtual int lwp_id(int ordinal) const = 0;
    // Whether LWP ids come from the pid space (Linux: a thread's tid is
    // unique in the run, the main one's is the pid); else lwp_id numbers
    // them within their process (NetBSD's lids).
    virtual bool tids_are_pids() const { return false; }

    // The pages the OS maps into every process (before the program).
    virtual bool init_process(Process& process, std::string& error) const = 0;
    // Never preempt an LWP at pc (Linux/arm: inside the kuser helpers).
    virtual bool is_atomic_region(u64 pc) const = 0;

    // The personality's parts of the initial stack (auxv flavour, hwcap).
    virtual void describe_stack(StackSpec& spec) const = 0;
    // Registers the OS sets at the ELF entry point besides sp and pc.
    virtual void start_registers(Process& process, const InitialStack& stack) const = 0;

    // Writes the frame of a signal about to run its handler and points the
    // live registers at the handler. Returns the key its sigreturn (or
    // setcontext) presents the frame by, or 0 when it cannot be written.
    virtual u64 push_signal_frame(Process& process, Lwp& lwp, const SignalDelivery& delivery,
                                  const SigAction& action) const = 0;
};

// nullptr when the personality has no port to the arch.
std::unique_ptr<Personality> make_linux_personality(const Cpu& cpu);
std::unique_ptr<Personality> make_netbsd_personality(const Cpu& cpu);
// The personality of an ELF's OS ("linux", "netbsd"), or nullptr.
std::unique_ptr<Personality> make_personality(const std::string& os, const Cpu& cpu);

} // namespace crossrt::kernel
