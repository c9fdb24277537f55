// The NetBSD convention of each arch, next to the Linux one in Abi: how a
// trap carries the number and arguments (amd64 `syscall`, 386 `int $0x80`
// with the arguments on the user stack, arm `svc 0xa00000|n`), how results
// come back (carry clear and the value, or carry set and a positive errno),
// the process entry registers, the machine part of ucontext_t (mcontext,
// the TLS base) and the signal frame sendsig_siginfo builds.
#pragma once

#include "kernel/abi/cpu.h"

#include <memory>

namespace crossrt::kernel {

namespace nb_uc {
// uc_flags bits (sys/ucontext.h and the machine headers).
constexpr u32 kSigmask = 0x01;
constexpr u32 kStack = 0x02;
constexpr u32 kCpu = 0x04;
constexpr u32 kFpu = 0x08;
constexpr u32 kTlsBase = 0x00080000;
} // namespace nb_uc

// Where the machine-independent parts of ucontext_t are.
struct UcontextLayout {
    u64 size = 0;
    u64 link = 0;     // uc_link
    u64 sigmask = 0;  // uc_sigmask: 4 x u32
    u64 stack = 0;    // uc_stack: ss_sp, ss_size, ss_flags
    u64 mcontext = 0; // uc_mcontext
    u64 siginfo_size = 128;
};

// A signal frame to build: the NetBSD signal number and siginfo code, and
// the trampoline __sigaction_sigtramp registered.
struct NetbsdFrame {
    int signo = 0;
    int code = 0;
    int errno_value = 0;
    u64 addr = 0;
    int pid = 0;
    int uid = 0;
    u64 trampoline = 0;
    u64 handler = 0;
    u64 sp = 0;       // where the frame goes below
    u32 sigmask[4]{}; // the mask to restore (NetBSD bits)
    u64 altstack_sp = 0;
    u64 altstack_size = 0;
    int altstack_flags = 0;
};

class NetbsdAbi {
public:
    virtual ~NetbsdAbi() = default;
    virtual const UcontextLayout& layout() const = 0;

    // The call just trapped: number and up to 8 argument words (stack
    // words where the arch passes them there).
    virtual SyscallArgs syscall_args(Process& machine) const = 0;
    // result < 0: -errno (carry set, errno positive); else the value, carry clear.
    virtual void set_result(uc_engine* uc, i64 result) const = 0;
    // The second result register (rdx, edx, r1) of two-value calls.
    virtual void set_second_result(uc_engine* uc, u64 value) const = 0;
    virtual void rewind_syscall(uc_engine* uc, const SyscallArgs& args) const = 0;

    // The registers at the ELF entry point (sp is already set).
    virtual void start_registers(Process& machine, u64 ps_strings) const = 0;

    // The mcontext of the live registers to uc (gregs and TLS base); for
    // getcontext, the saved result is 0 with carry clear.
    virtual bool save_mcontext(Process& machine, Lwp& lwp, u64 uc, bool as_getcontext) const = 0;
    // The live registers from uc's mcontext (flags: uc_flags).
    virtual bool load_mcontext(Process& machine, Lwp& lwp, u64 uc, u32 flags) const = 0;

    // _lwp_setprivate: the thread pointer (amd64 FS base, 386 %gs through
    // this LWP's GDT, arm TPIDRURO).
    virtual i64 set_private(Process& machine, Lwp& lwp, u64 value) const = 0;
    // load_mcontext's _UC_TLSBASE part: set_private from the word at `at`.
    bool load_tls_base(Process& machine, Lwp& lwp, u64 at) const;

    // Writes siginfo and ucontext below frame.sp and points the registers
    // at the handler; the ucontext's own fields are written by the caller
    // at the address returned (0: the frame could not be written).
    virtual u64 push_signal_frame(Process& machine, Lwp& lwp, const NetbsdFrame& frame) const = 0;
};

std::unique_ptr<NetbsdAbi> make_netbsd_abi(Arch arch);
std::unique_ptr<NetbsdAbi> make_netbsd_abi_amd64();
std::unique_ptr<NetbsdAbi> make_netbsd_abi_386();
std::unique_ptr<NetbsdAbi> make_netbsd_abi_arm();

} // namespace crossrt::kernel
