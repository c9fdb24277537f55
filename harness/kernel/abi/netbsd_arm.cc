// NetBSD/arm (EABI): the call number is the `svc` instruction's immediate
// (0xa00000 | n, SWI_OS_NETBSD), read from the instruction that trapped;
// arguments in r0-r3, then on the user stack from sp. Results in r0 (and
// r1), errors as a positive errno with the carry flag (CPSR.C) set. The
// thread pointer is TPIDRURO. mcontext: __gregs[17] (r0-r15, cpsr), the
// VFP area, then _mc_tlsbase.
#include "kernel/abi/cpu_arm.h"
#include "kernel/abi/netbsd.h"
#include "kernel/abi/netbsd_common.h"
#include "kernel/abi/regs.h"
#include "kernel/process.h"
#include "kernel/signal/frame_netbsd.h"

#include <cstring>
#include <vector>

namespace crossrt::kernel {
namespace {

constexpr u32 kCpsrCarry = u32{1} << 29;
// What user code may change in the CPSR: N Z C V Q, GE, and the Thumb bit.
constexpr u32 kUserCpsr = 0xf80f0000 | arm::kCpsrThumb;
constexpr u32 kSwiOsMask = 0xf00000;
constexpr u32 kSwiOsNetbsd = 0xa00000;

constexpr int kGregCount = 17;
constexpr int kGregs[kGregCount] = {
    UC_ARM_REG_R0,  UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3, UC_ARM_REG_R4,  UC_ARM_REG_R5,
    UC_ARM_REG_R6,  UC_ARM_REG_R7, UC_ARM_REG_R8, UC_ARM_REG_R9, UC_ARM_REG_R10, UC_ARM_REG_R11,
    UC_ARM_REG_R12, UC_ARM_REG_SP, UC_ARM_REG_LR, UC_ARM_REG_PC, UC_ARM_REG_CPSR};
constexpr int kRegPc = 15;
constexpr int kRegCpsr = 16;

const UcontextLayout kLayout{400, 4, 8, 24, 40, 128};
constexpr u64 kFpregs = 40 + kGregCount * 4 + 4;
constexpr u64 kTlsBase = kFpregs + 272;

void set_cpsr_flags(uc_engine* uc, u32 value, u32 mask) {
    u32 live = reg32(uc, UC_ARM_REG_CPSR);
    set_reg32(uc, UC_ARM_REG_CPSR, (live & ~mask) | (value & mask));
}

constexpr u32 kSysSyscall = 0;
constexpr u32 kSysQuadSyscall = 198;
constexpr u32 kNotNetbsd = 0xff000000;

// The call code of the `svc` that just trapped (pc is past it): the low 20
// bits of the immediate, for NetBSD's range (0xa00000) and the old
// unofficial one (0x000000, which Go's syscall package uses as `svc 0`
// with the number in r0). Anything else is another OS's call, and Thumb's
// 8-bit svc holds no NetBSD number: kNotNetbsd | immediate, which no table
// names.
u32 trapped_code(uc_engine* uc) {
    u32 pc = reg32(uc, UC_ARM_REG_PC);
    if ((reg32(uc, UC_ARM_REG_CPSR) & arm::kCpsrThumb) != 0) {
        u16 insn = 0;
        if (uc_mem_read(uc, pc - 2, &insn, sizeof insn) != UC_ERR_OK)
            return kNotNetbsd; // the code just ran, so this cannot happen
        return kNotNetbsd | (insn & 0xffu);
    }
    u32 insn = 0;
    if (uc_mem_read(uc, pc - 4, &insn, sizeof insn) != UC_ERR_OK)
        return kNotNetbsd;
    u32 immediate = insn & 0x00ffffff;
    u32 os = immediate & kSwiOsMask;
    if (os != kSwiOsNetbsd && os != 0)
        return kNotNetbsd | immediate;
    return immediate & ~kSwiOsMask;
}

class NetbsdArm : public NetbsdAbi {
public:
    const UcontextLayout& layout() const override { return kLayout; }

    SyscallArgs syscall_args(Process& machine) const override {
        uc_engine* uc = machine.uc();
        SyscallArgs args;
        u32 regs[4] = {reg32(uc, UC_ARM_REG_R0), reg32(uc, UC_ARM_REG_R1), reg32(uc, UC_ARM_REG_R2),
                       reg32(uc, UC_ARM_REG_R3)};
        u32 code = trapped_code(uc);
        // SYS_syscall (0): the number in r0, the arguments from r1.
        // SYS___syscall (198): a 64-bit number in r0/r1, arguments from r2.
        std::size_t first = code == kSysSyscall ? 1 : code == kSysQuadSyscall ? 2 : 0;
        args.nr = first == 0 ? code : regs[0];
        std::size_t n = 0;
        for (std::size_t i = first; i < 4; ++i)
            args.a[n++] = regs[i];
        u64 sp = reg32(uc, UC_ARM_REG_SP);
        for (u64 slot = 0; n < args.a.size(); ++slot, ++n) {
            if (!machine.read_word(sp + 4 * slot, args.a[n]))
                args.a[n] = 0;
        }
        return args;
    }
    void set_result(uc_engine* uc, i64 result) const override {
        if (result < 0) {
            set_reg32(uc, UC_ARM_REG_R0, static_cast<u32>(-result));
            set_cpsr_flags(uc, kCpsrCarry, kCpsrCarry);
        } else {
            set_reg32(uc, UC_ARM_REG_R0, static_cast<u32>(result));
            set_cpsr_flags(uc, 0, kCpsrCarry);
        }
    }
    void set_second_result(uc_engine* uc, u64 value) const override {
        set_reg32(uc, UC_ARM_REG_R1, static_cast<u32>(value));
    }
    void rewind_syscall(uc_engine* uc, const SyscallArgs& args) const override {
        // r0 and r1 may hold results now: put back what the call passed.
        u32 code = trapped_code(uc);
        if (code == kSysSyscall) {
            set_reg32(uc, UC_ARM_REG_R0, static_cast<u32>(args.nr));
            set_reg32(uc, UC_ARM_REG_R1, static_cast<u32>(args.a[0]));
        } else if (code == kSysQuadSyscall) {
            set_reg32(uc, UC_ARM_REG_R0, static_cast<u32>(args.nr));
            set_reg32(uc, UC_ARM_REG_R1, 0);
        } else {
            set_reg32(uc, UC_ARM_REG_R0, static_cast<u32>(args.a[0]));
            set_reg32(uc, UC_ARM_REG_R1, static_cast<u32>(args.a[1]));
        }
        bool thumb = (reg32(uc, UC_ARM_REG_CPSR) & arm::kCpsrThumb) != 0;
        u32 pc = reg32(uc, UC_ARM_REG_PC) - (thumb ? 2 : 4);
        set_reg32(uc, UC_ARM_REG_PC, pc | (thumb ? 1 : 0));
    }

    void start_registers(Process& machine, u64 ps_strings) const override {
        // setregs(): r0 holds the ps_strings address, r12 the stack pointer.
        uc_engine* uc = machine.uc();
        set_reg32(uc, UC_ARM_REG_R0, static_cast<u32>(ps_strings));
        set_reg32(uc, UC_ARM_REG_R12, reg32(uc, UC_ARM_REG_SP));
    }

    bool save_mcontext(Process& machine, Lwp& lwp, u64 uc, bool as_getcontext) const override {
        uc_engine* engine = machine.uc();
        u32 gregs[kGregCount]{};
        for (int i = 0; i < kGregCount; ++i)
            gregs[i] = reg32(engine, kGregs[i]);
        if (as_getcontext) {
            gregs[0] = 0;
            gregs[kRegCpsr] &= ~kCpsrCarry;
        }
        std::vector<u8> fp(272, 0);
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
            set_cpsr_flags(engine, gregs[kRegCpsr], kUserCpsr);
            for (int i = 0; i < kRegPc; ++i)
                set_reg32(engine, kGregs[i], gregs[i]);
            bool thumb = (gregs[kRegCpsr] & arm::kCpsrThumb) != 0;
            set_reg32(engine, UC_ARM_REG_PC, (gregs[kRegPc] & ~u32{1}) | (thumb ? 1 : 0));
        }
        return (flags & nb_uc::kTlsBase) == 0 || load_tls_base(machine, lwp, uc + kTlsBase);
    }

    i64 set_private(Process& machine, Lwp& lwp, u64 value) const override {
        lwp.private_base = value;
        set_reg32(machine.uc(), UC_ARM_REG_C13_C0_3, static_cast<u32>(value));
        return 0;
    }

    u64 push_signal_frame(Process& machine, Lwp& lwp, const NetbsdFrame& frame) const override {
        return push_netbsd_frame_arm(machine, lwp, *this, frame);
    }
};

} // namespace

std::unique_ptr<NetbsdAbi> make_netbsd_abi_arm() {
    return std::make_unique<NetbsdArm>();
}

} // namespace crossrt::kernel
