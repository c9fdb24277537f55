#include "kernel/abi/netbsd_common.h"

#include "kernel/process.h"

namespace crossrt::kernel {

std::unique_ptr<NetbsdAbi> make_netbsd_abi(Arch arch) {
    switch (arch) {
    case Arch::amd64:
        return make_netbsd_abi_amd64();
    case Arch::i386:
        return make_netbsd_abi_386();
    case Arch::arm:
        return make_netbsd_abi_arm();
    }
    return nullptr;
}

bool write_ucontext_header(Process& machine, const UcontextLayout& layout, u64 uc,
                           const UcontextHeader& header) {
    AddressSpace& memory = machine.memory();
    auto word = static_cast<u64>(machine.word_size());
    bool ok =
        memory.write_value(uc, header.flags) && machine.write_word(uc + layout.link, header.link);
    for (u64 i = 0; i < 4; ++i)
        ok = ok && memory.write_value(uc + layout.sigmask + i * 4, header.sigmask[i]);
    ok = ok && machine.write_word(uc + layout.stack, header.ss_sp) &&
         machine.write_word(uc + layout.stack + word, header.ss_size) &&
         memory.write_value(uc + layout.stack + 2 * word, static_cast<i32>(header.ss_flags));
    return ok;
}

bool read_ucontext_header(Process& machine, const UcontextLayout& layout, u64 uc,
                          UcontextHeader& header) {
    AddressSpace& memory = machine.memory();
    auto word = static_cast<u64>(machine.word_size());
    bool ok =
        memory.read_value(uc, header.flags) && machine.read_word(uc + layout.link, header.link);
    for (u64 i = 0; i < 4; ++i)
        ok = ok && memory.read_value(uc + layout.sigmask + i * 4, header.sigmask[i]);
    i32 flags = 0;
    ok = ok && machine.read_word(uc + layout.stack, header.ss_sp) &&
         machine.read_word(uc + layout.stack + word, header.ss_size) &&
         memory.read_value(uc + layout.stack + 2 * word, flags);
    header.ss_flags = flags;
    return ok;
}

bool NetbsdAbi::load_tls_base(Process& machine, Lwp& lwp, u64 at) const {
    u64 base = 0;
    if (!machine.read_word(at, base))
        return false;
    set_private(machine, lwp, base);
    return true;
}

} // namespace crossrt::kernel
