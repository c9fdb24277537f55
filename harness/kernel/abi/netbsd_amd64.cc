// NetBSD/amd64: `syscall` with the number in rax and arguments in rdi rsi
// rdx r10 r8 r9, further ones on the stack above the return address
// (mmap's offset). Results in rax (and rdx), errors as a positive errno
// with the carry flag set. mcontext: __gregs[26] in NetBSD's _REG_* order,
// then _mc_tlsbase (the FS base), then the FXSAVE area.
#include "kernel/abi/netbsd.h"
#include "kernel/abi/netbsd_common.h"
#include "kernel/abi/regs.h"
#include "kernel/process.h"
#include "kernel/signal/frame_netbsd.h"

#include <cstring>

namespace crossrt::kernel {
namespace {

constexpr u64 kCarry = 1;
// The flags user code may change through setcontext: CF PF AF ZF SF TF DF OF.
constexpr u64 kUserFlags = 0x0dd5 | 0x0100;

// NetBSD's _REG_* indices into __gregs, and the Unicorn register behind each
// (0: a segment or trap field the kernel keeps).
constexpr int kGregCount = 26;
constexpr int kRegRax = 14;
constexpr int kRegRflags = 23;
constexpr int kGregs[kGregCount] = {
    UC_X86_REG_RDI, UC_X86_REG_RSI, UC_X86_REG_RDX, UC_X86_REG_RCX,    UC_X86_REG_R8,
    UC_X86_REG_R9,  UC_X86_REG_R10, UC_X86_REG_R11, UC_X86_REG_R12,    UC_X86_REG_R13,
    UC_X86_REG_R14, UC_X86_REG_R15, UC_X86_REG_RBP, UC_X86_REG_RBX,    UC_X86_REG_RAX,
    UC_X86_REG_GS,  UC_X86_REG_FS,  UC_X86_REG_ES,  UC_X86_REG_DS,     0 /*TRAPNO*/,
    0 /*ERR*/,      UC_X86_REG_RIP, UC_X86_REG_CS,  UC_X86_REG_RFLAGS, UC_X86_REG_RSP,
    UC_X86_REG_SS};

const UcontextLayout kLayout{784, 8, 16, 32, 56, 128};
constexpr u64 kTlsBase = 56 + kGregCount * 8; // _mc_tlsbase
constexpr u64 kFpregs = kTlsBase + 8;

class NetbsdAmd64 : public NetbsdAbi {
public:
    const UcontextLayout& layout() const override { return kLayout; }

    SyscallArgs syscall_args(Process& machine) const override {
        uc_engine* uc = machine.uc();
        SyscallArgs args;
        args.nr = reg64(uc, UC_X86_REG_RAX);
        const int ids[6] = {UC_X86_REG_RDI, UC_X86_REG_RSI, UC_X86_REG_RDX,
                            UC_X86_REG_R10, UC_X86_REG_R8,  UC_X86_REG_R9};
        for (std::size_t i = 0; i < 6; ++i)
            args.a[i] = reg64(uc, ids[i]);
        u64 sp = reg64(uc, UC_X86_REG_RSP);
        for (std::size_t i = 6; i < args.a.size(); ++i) {
            if (!machine.read_word(sp + 8 * (i - 5), args.a[i]))
                args.a[i] = 0;
        }
        return args;
    }
    void set_result(uc_engine* uc, i64 result) const override {
        u64 flags = reg64(uc, UC_X86_REG_RFLAGS);
        if (result < 0) {
            set_reg64(uc, UC_X86_REG_RAX, static_cast<u64>(-result));
            set_reg64(uc, UC_X86_REG_RFLAGS, flags | kCarry);
        } else {
            set_reg64(uc, UC_X86_REG_RAX, static_cast<u64>(result));
            set_reg64(uc, UC_X86_REG_RFLAGS, flags & ~kCarry);
        }
    }
    void set_second_result(uc_engine* uc, u64 value) const override {
        set_reg64(uc, UC_X86_REG_RDX, value);
    }
    void rewind_syscall(uc_engine* uc, const SyscallArgs& args) const override {
        set_reg64(uc, UC_X86_REG_RIP, reg64(uc, UC_X86_REG_RIP) - 2);
        set_reg64(uc, UC_X86_REG_RAX, args.nr);
    }

    void start_registers(Process& machine, u64 ps_strings) const override {
        // setregs(): rbx holds the ps_strings address, the rest is zero.
        set_reg64(machine.uc(), UC_X86_REG_RBX, ps_strings);
    }

    bool save_mcontext(Process& machine, Lwp& lwp, u64 uc, bool as_getcontext) const override {
        uc_engine* engine = machine.uc();
        u64 gregs[kGregCount]{};
        for (int i = 0; i < kGregCount; ++i)
            gregs[i] = kGregs[i] != 0 ? reg64(engine, kGregs[i]) : 0;
        if (as_getcontext) {
            gregs[kRegRax] = 0;
            gregs[kRegRflags] &= ~kCarry;
        }
        if (!machine.memory().write(uc + kLayout.mcontext, gregs, sizeof gregs))
            return false;
        if (!machine.memory().write_value(uc + kTlsBase, lwp.private_base))
            return false;
        // The FXSAVE image: the default control words (the kernel keeps the
        // live FP state itself across signal handlers).
        u8 fx[512]{};
        u16 fcw = 0x37f;
        u32 mxcsr = 0x1f80;
        std::memcpy(fx, &fcw, 2);
        std::memcpy(fx + 24, &mxcsr, 4);
        return machine.memory().write(uc + kFpregs, fx, sizeof fx);
    }

    bool load_mcontext(Process& machine, Lwp& lwp, u64 uc, u32 flags) const override {
        uc_engine* engine = machine.uc();
        if ((flags & nb_uc::kCpu) != 0) {
            u64 gregs[kGregCount]{};
            if (!machine.memory().read(uc + kLayout.mcontext, gregs, sizeof gregs))
                return false;
            for (int i = 0; i < kGregCount; ++i) {
                int id = kGregs[i];
                // Segment selectors stay as the kernel set them.
                if (id == 0 || id == UC_X86_REG_CS || id == UC_X86_REG_SS || id == UC_X86_REG_DS ||
                    id == UC_X86_REG_ES || id == UC_X86_REG_FS || id == UC_X86_REG_GS ||
                    id == UC_X86_REG_RFLAGS)
                    continue;
                set_reg64(engine, id, gregs[i]);
            }
            u64 live = reg64(engine, UC_X86_REG_RFLAGS);
            set_reg64(engine, UC_X86_REG_RFLAGS,
                      (live & ~kUserFlags) | (gregs[kRegRflags] & kUserFlags));
        }
        return (flags & nb_uc::kTlsBase) == 0 || load_tls_base(machine, lwp, uc + kTlsBase);
    }

    i64 set_private(Process& machine, Lwp& lwp, u64 value) const override {
        lwp.private_base = value;
        set_reg64(machine.uc(), UC_X86_REG_FS_BASE, value);
        return 0;
    }

    u64 push_signal_frame(Process& machine, Lwp& lwp, const NetbsdFrame& frame) const override {
        return push_netbsd_frame_amd64(machine, lwp, *this, frame);
    }
};

} // namespace

std::unique_ptr<NetbsdAbi> make_netbsd_abi_amd64() {
    return std::make_unique<NetbsdAmd64>();
}

} // namespace crossrt::kernel
