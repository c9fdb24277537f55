// Linux/i386: `int $0x80` (two bytes), number in eax, arguments in ebx ecx
// edx esi edi ebp, result (or -errno) in eax. The thread pointer is a TLS
// slot of the LWP's GDT (set_thread_area, CLONE_SETTLS with a user_desc);
// modify_ldt writes the process's LDT (descriptors_386.h).
#include "kernel/abi/linux_386.h"

#include "kernel/abi/descriptors_386.h"
#include "kernel/abi/linux.h"
#include "kernel/abi/regs.h"
#include "kernel/process.h"
#include "kernel/signal/frame_linux.h"

#include <algorithm>
#include <vector>

namespace crossrt::kernel {
namespace {

using namespace i386;

class Linux386 : public LinuxAbi {
public:
    std::string platform() const override { return "i686"; }

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
    i64 set_thread_pointer(Process& process, Lwp& lwp, u64 tls) const override {
        i64 result = i386_set_thread_area(process, lwp, tls);
        if (result < 0)
            return result;
        // The child's %gs may name the slot just rewritten: reload it, as
        // Linux does on the way back to user mode.
        u32 gs = reg32(process.uc(), UC_X86_REG_GS);
        if ((gs & 4) == 0 && gs >= 8)
            set_reg32(process.uc(), UC_X86_REG_GS, gs);
        return 0;
    }

    bool push_signal_frame(Process& process, Lwp& lwp,
                           const SignalDelivery& delivery) const override {
        return push_frame_386(process, lwp, delivery);
    }
    u64 sigreturn_frame(uc_engine* uc, bool rt) const override {
        return sigreturn_frame_386(uc, rt);
    }
    std::optional<u64> signal_return(Process& process, Lwp& lwp, bool rt,
                                     u64 frame) const override {
        return sigreturn_386(process, lwp, rt, frame);
    }
};

} // namespace

std::unique_ptr<LinuxAbi> make_linux_abi_386() {
    return std::make_unique<Linux386>();
}

i64 i386_set_thread_area(Process& process, Lwp&, u64 user_desc) {
    using namespace i386;
    UserDesc desc{};
    if (!process.memory().read_value(user_desc, desc))
        return -err::FAULT;
    u64 gdt = gdt_base(process.uc());
    u32 index = desc.entry_number;
    if (index == 0xffffffffu) {
        for (u64 slot = kTlsFirst; slot < kTlsFirst + kTlsCount; ++slot) {
            u64 current = 0;
            if (uc_mem_read(process.uc(), gdt + slot * 8, &current, 8) != UC_ERR_OK)
                return -err::FAULT;
            if (current == 0) {
                index = static_cast<u32>(slot);
                break;
            }
        }
        if (index == 0xffffffffu)
            return -err::SRCH; // no free TLS slot
        desc.entry_number = index;
        if (!process.memory().write_value(user_desc, desc.entry_number))
            return -err::FAULT;
    }
    if (index < kTlsFirst || index >= kTlsFirst + kTlsCount)
        return -err::INVAL;
    return write_gdt_entry(process, index, descriptor_of(desc));
}

i64 i386_modify_ldt(Process& process, u64 func, u64 pointer, u64 count) {
    using namespace i386;
    switch (func) {
    case 0: { // read the LDT
        u64 length = std::min<u64>(count, kLdtEntries * 8);
        std::vector<u8> table(length);
        if (uc_mem_read(process.uc(), kLdtBase, table.data(), table.size()) != UC_ERR_OK ||
            !process.memory().write(pointer, table.data(), table.size()))
            return -err::FAULT;
        return static_cast<i64>(length);
    }
    case 1:
    case 0x11: { // write an entry
        if (count != sizeof(UserDesc))
            return -err::INVAL;
        UserDesc desc{};
        if (!process.memory().read_value(pointer, desc))
            return -err::FAULT;
        if (desc.entry_number >= kLdtEntries)
            return -err::INVAL;
        return write_ldt_entry(process, desc.entry_number, descriptor_of(desc));
    }
    case 2: // read the default LDT: empty
        return 0;
    default:
        return -err::NOSYS;
    }
}

} // namespace crossrt::kernel
