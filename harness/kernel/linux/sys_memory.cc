// mmap, munmap, mprotect, madvise, brk over the guest address space.
#include "kernel/linux/sys.h"

namespace crossrt::kernel::lnx {
namespace {

constexpr u64 kMapShared = 0x01;
constexpr u64 kMapPrivate = 0x02;
constexpr u64 kMapFixed = 0x10;
constexpr u64 kMapAnonymous = 0x20;
constexpr u64 kMapFixedNoreplace = 0x100000;
constexpr i64 kENODEV = 19;

i64 do_mmap(Process& m, u64 address, u64 length, u64 prot, u64 flags, u64 fd, u64 offset) {
    (void)fd;
    if (length == 0 || (prot & ~u64{7}) != 0)
        return -err::INVAL;
    if ((flags & kMapAnonymous) == 0)
        return -kENODEV; // no files: nothing to map
    if ((flags & (kMapShared | kMapPrivate)) == 0 || offset % kPageSize != 0)
        return -err::INVAL;
    int p = static_cast<int>(prot);
    if ((flags & kMapFixedNoreplace) != 0) {
        if (address % kPageSize != 0)
            return -err::INVAL;
        for (u64 at = address; at < address + page_up(length); at += kPageSize) {
            if (m.memory().find(at) != nullptr)
                return -err::EXIST;
        }
        return m.memory().map_fixed(address, length, p);
    }
    if ((flags & kMapFixed) != 0)
        return m.memory().map_fixed(address, length, p);
    return m.memory().map_anywhere(address, length, p);
}

} // namespace

SysResult sys_mmap(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(
        do_mmap(m, args.a[0], args.a[1], args.a[2], args.a[3], args.a[4], args.a[5]));
}

SysResult sys_mmap2(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(
        do_mmap(m, args.a[0], args.a[1], args.a[2], args.a[3], args.a[4], args.a[5] * kPageSize));
}

SysResult sys_munmap(Process& m, Lwp&, const SyscallArgs& args) {
    if (args.a[1] == 0)
        return SysResult::of(-err::INVAL);
    return SysResult::of(m.memory().unmap(args.a[0], args.a[1]));
}

SysResult sys_mprotect(Process& m, Lwp&, const SyscallArgs& args) {
    if ((args.a[2] & ~u64{7}) != 0)
        return SysResult::of(-err::INVAL);
    return SysResult::of(m.memory().protect(args.a[0], args.a[1], static_cast<int>(args.a[2])));
}

SysResult sys_madvise(Process& m, Lwp&, const SyscallArgs& args) {
    constexpr u64 kDontneed = 4;
    if (args.a[0] % kPageSize != 0)
        return SysResult::of(-err::INVAL);
    if (args.a[2] == kDontneed) {
        u64 length = page_up(args.a[1]);
        if (!m.memory().accessible(args.a[0], length, 0))
            return SysResult::of(-err::NOMEM);
        std::vector<u8> zeros(length, 0);
        m.memory().poke(args.a[0], zeros.data(), zeros.size());
    }
    return SysResult::of(0);
}

SysResult sys_brk(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(static_cast<i64>(m.memory().brk(args.a[0])));
}

} // namespace crossrt::kernel::lnx
