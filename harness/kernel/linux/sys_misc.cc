// uname, getrandom (from the seed), and calls answered ENOSYS by design.
#include "kernel/linux/sys.h"
#include "kernel/posix/process.h"

#include <cstring>

namespace crossrt::kernel::lnx {

SysResult sys_uname(Process& m, Lwp&, const SyscallArgs& args) {
    // struct utsname: six fields of 65 bytes.
    char fields[6][65] = {};
    std::string_view machine = m.cpu().arch() == Arch::amd64  ? "x86_64"
                               : m.cpu().arch() == Arch::i386 ? "i686"
                                                              : "armv7l";
    const std::string_view values[6] = {"Linux",         posix::kHostname,
                                        "6.1.0-crossrt", "#1 SMP crossrt unicorn kernel",
                                        machine,         "(none)"};
    for (int i = 0; i < 6; ++i)
        std::memcpy(fields[i], values[i].data(), values[i].size());
    return SysResult::of(m.memory().write(args.a[0], fields, sizeof fields) ? 0 : -err::FAULT);
}

SysResult sys_getrandom(Process& m, Lwp&, const SyscallArgs& args) {
    std::vector<u8> bytes = posix::random_bytes(m, std::min<u64>(args.a[1], 1 << 20));
    if (!m.memory().write(args.a[0], bytes.data(), bytes.size()))
        return SysResult::of(-err::FAULT);
    return SysResult::of(static_cast<i64>(bytes.size()));
}

SysResult sys_enosys(Process&, Lwp&, const SyscallArgs&) {
    return SysResult::of(-err::NOSYS);
}

} // namespace crossrt::kernel::lnx
