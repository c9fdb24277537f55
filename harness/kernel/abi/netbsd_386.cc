// NetBSD/i386: `int $0x80` with the number in eax and every argument on the
// user stack from 4(%esp) (the C library's return address sits at 0), so a
// 64-bit argument takes two words. Results in eax (and edx), errors as a
// positive errno with the carry flag set. The thread pointer is %gs, a
// segment in this LWP's own GDT (descriptors_386.h). mcontext: __gregs[19] in
// NetBSD's _REG_* order, the FP area, then _mc_tlsbase.
#include "kernel/abi/descriptors_386.h"
#include "kernel/abi/netbsd.h"
#include "kernel/abi/netbsd_common.h"
#include "kernel/abi/regs.h"
#include "kernel/process.h"
#include "kernel/signal/frame_netbsd.h"

#include <cstring>
#include <vector>

namespace crossrt::kernel {
namespace {

constexpr u32 kCarry = 1;
constexpr u32 kUserFlags = 0x0dd5 | 0x0100;

constexpr int kGregCount = 19;
constexpr int kRegEsp = 7;
constexpr int kRegEax = 11;
constexpr int kRegEfl = 16;
constexpr int kRegUesp = 17;
constexpr int kGregs[kGregCount] = {UC_X86_REG_GS,  UC_X86_REG_FS,     UC_X86_REG_ES,
                                    UC_X86_REG_DS,  UC_X86_REG_EDI,    UC_X86_REG_ESI,
                                    UC_X86_REG_EBP, UC_X86_REG_ESP,    UC_X86_REG_EBX,
                                    UC_X86_REG_EDX, UC_X86_REG_ECX,    UC_X86_REG_EAX,
                                    0 /*TRAPNO*/,   0 /*ERR*/,         UC_X86_REG_EIP,
                                    UC_X86_REG_CS,  UC_X86_REG_EFLAGS, UC_X86_REG_ESP /*UESP*/,
                                    UC_X86_REG_SS};

const UcontextLayout kLayout{776, 4, 8, 24, 36, 128};
constexpr u64 kFpregs = 36 + kGregCount * 4;
constexpr u64 kTlsBase = kFpregs + 644;

class Netbsd386 : public NetbsdAbi {
public:
    const UcontextLayout& layout() const override { return kLayout; }

    SyscallArgs syscall_args(Process& machine) const override {
        uc_engine* uc = machine.uc();
        SyscallArgs args;
        args.nr = reg32(uc, UC_X86_REG_EAX);
        u64 sp = reg32(uc, UC_X86_REG_ESP);
        for (std::size_t i = 0; i < args.a.size(); ++i) {
            if (!machine.read_word(sp + 4 * (i + 1), args.a[i]))
                args.a[i] = 0;
        }
        return args;
    }
    void set_result(uc_engine* uc, i64 result) const override {
        u32 flags = reg32(uc, UC_X86_REG_EFLAGS);
        if (result < 0) {
            set_reg32(uc, UC_X86_REG_EAX, static_cast<u32>(-result));
            set_reg32(uc, UC_X86_REG_EFLAGS, flags | kCarry);
        } else {
            set_reg32(uc, UC_X86_REG_EAX, static_cast<u32>(result));
            set_reg32(uc, UC_X86_REG_EFLAGS, flags & ~kCarry);
        }
    }
    void set_second_result(uc_engine* uc, u64 value) const override {
        set_reg32(uc, UC_X86_REG_EDX, static_cast<u32>(value));
    }
    void rewind_syscall(uc_engine* uc, const SyscallArgs& args) const override {
        set_reg32(uc, UC_X86_REG_EIP, reg32(uc, UC_X86_REG_EIP) - 2);
        set_reg32(uc, UC_X86_REG_EAX, static_cast<u32>(args.nr));
    }

    void start_registers(Process& machine, u64 ps_strings) const override {
        set_reg32(machine.uc(), UC_X86_REG_EBX, static_cast<u32>(ps_strings));
    }

    bool save_mcontext(Process& machine, Lwp& lwp, u64 uc, bool as_getcontext) const override {
        uc_engine* engine = machine.uc();
        u32 gregs[kGregCount]{};
        for (int i = 0; i < kGregCount; ++i)
            gregs[i] = kGregs[i] != 0 ? reg32(engine, kGregs[i]) : 0;
        if (as_getcontext) {
            gregs[kRegEax] = 0;
            gregs[kRegEfl] &= ~kCarry;
        }
        std::vector<u8> fp(644, 0);
        return machine.memory().write(uc + kLayout.mcontext, gregs, sizeof gregs) &&
               machine.memory().write(uc + kFpregs, fp.data(), fp.size()) &&
               machine.memory().write_value(uc + kTlsBase, static_cast<u32>(lwp.private_base));
    }

    bool load_mcontext(Process& machine, Lwp& lwp, u64 uc, u32 flags) const override {
        uc_engine* engine = machine.uc();
        if ((flags & nb_uc::kCpu) != 0) {
            u32 gregs[kGregCount]{};
            if (!machine.memory().read(uc + kLayout.mcontext, gregs, sizeof gregs))
                return false;
            // General registers and eip; the stack pointer is _REG_UESP.
            // Segment selectors stay as the kernel set them.
            for (int i = 4; i <= 14; ++i) {
                if (kGregs[i] != 0 && i != kRegEsp)
                    set_reg32(engine, kGregs[i], gregs[i]);
            }
            set_reg32(engine, UC_X86_REG_ESP, gregs[kRegUesp]);
            u32 live = reg32(engine, UC_X86_REG_EFLAGS);
            set_reg32(engine, UC_X86_REG_EFLAGS,
                      (live & ~kUserFlags) | (gregs[kRegEfl] & kUserFlags));
        }
        return (flags & nb_uc::kTlsBase) == 0 || load_tls_base(machine, lwp, uc + kTlsBase);
    }

    i64 set_private(Process& machine, Lwp& lwp, u64 value) const override {
        lwp.private_base = value;
        return i386::set_gs_base(machine, static_cast<u32>(value));
    }

    u64 push_signal_frame(Process& machine, Lwp& lwp, const NetbsdFrame& frame) const override {
        return push_netbsd_frame_386(machine, lwp, *this, frame);
    }
};

} // namespace

std::unique_ptr<NetbsdAbi> make_netbsd_abi_386() {
    return std::make_unique<Netbsd386>();
}

} // namespace crossrt::kernel
