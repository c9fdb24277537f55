// Credentials: the set*id family, getres*id and the groups, 32-bit ids on
// amd64 and in the *32 calls, 16-bit ones in the legacy calls of 386 and
// arm. The guest is user 1000 in group 1000 and not root (posix/process.h).
#include "kernel/linux/sys.h"
#include "kernel/posix/process.h"

namespace crossrt::kernel::lnx {
namespace {

SysResult set_ids(const SyscallArgs& args, int count, bool legacy16) {
    i64 ids[3] = {-1, -1, -1};
    for (int i = 0; i < count; ++i)
        ids[i] = id_arg(args.a[static_cast<std::size_t>(i)], legacy16);
    return SysResult::of(posix::set_ids({ids[0], ids[1], ids[2]}));
}

bool write_id(Process& m, u64 address, bool legacy16) {
    return legacy16 ? m.memory().write_value(address, static_cast<u16>(posix::kGuestUid))
                    : m.memory().write_value(address, static_cast<u32>(posix::kGuestUid));
}

// getresuid(ruid*, euid*, suid*) and getresgid: all three are 1000.
SysResult get_res_ids(Process& m, const SyscallArgs& args, bool legacy16) {
    for (std::size_t i = 0; i < 3; ++i) {
        if (!write_id(m, args.a[i], legacy16))
            return SysResult::of(-err::FAULT);
    }
    return SysResult::of(0);
}

// getgroups(size, list): the one group; size 0 asks only how many.
SysResult get_groups(Process& m, const SyscallArgs& args, bool legacy16) {
    i64 size = static_cast<i32>(args.a[0]);
    if (size < 0)
        return SysResult::of(-err::INVAL);
    if (size == 0)
        return SysResult::of(1);
    return SysResult::of(write_id(m, args.a[1], legacy16) ? 1 : -err::FAULT);
}

} // namespace

SysResult sys_setuid(Process& m, Lwp&, const SyscallArgs& args) {
    return set_ids(args, 1, legacy_ids(m));
}
SysResult sys_setuid32(Process&, Lwp&, const SyscallArgs& args) {
    return set_ids(args, 1, false);
}
SysResult sys_setreuid(Process& m, Lwp&, const SyscallArgs& args) {
    return set_ids(args, 2, legacy_ids(m));
}
SysResult sys_setreuid32(Process&, Lwp&, const SyscallArgs& args) {
    return set_ids(args, 2, false);
}
SysResult sys_setresuid(Process& m, Lwp&, const SyscallArgs& args) {
    return set_ids(args, 3, legacy_ids(m));
}
SysResult sys_setresuid32(Process&, Lwp&, const SyscallArgs& args) {
    return set_ids(args, 3, false);
}
SysResult sys_getresuid(Process& m, Lwp&, const SyscallArgs& args) {
    return get_res_ids(m, args, legacy_ids(m));
}
SysResult sys_getresuid32(Process& m, Lwp&, const SyscallArgs& args) {
    return get_res_ids(m, args, false);
}
SysResult sys_getgroups(Process& m, Lwp&, const SyscallArgs& args) {
    return get_groups(m, args, legacy_ids(m));
}
SysResult sys_getgroups32(Process& m, Lwp&, const SyscallArgs& args) {
    return get_groups(m, args, false);
}

// setgroups: only root may change its groups.
SysResult sys_setgroups(Process&, Lwp&, const SyscallArgs&) {
    return SysResult::of(-err::PERM);
}

// setfsuid/setfsgid never fail: they return the id in force (1000), which
// stays when the new one is not allowed.
SysResult sys_setfsuid(Process&, Lwp&, const SyscallArgs&) {
    return SysResult::of(posix::kGuestUid);
}

} // namespace crossrt::kernel::lnx
