// mmap, munmap, mprotect, madvise: NetBSD's argument layout and flag bits,
// then the Linux handlers on the same address space. NetBSD's mmap is
// mmap(addr, len, prot, flags, fd, PAD, pos): the pad keeps the 64-bit pos
// aligned, so pos is arg 6 (two words on 386 and arm).
#include "kernel/linux/sys.h"
#include "kernel/netbsd/sys.h"

namespace crossrt::kernel::nbsd {
namespace {

constexpr u64 kMapShared = 0x1;
constexpr u64 kMapPrivate = 0x2;
constexpr u64 kMapFixed = 0x10;
constexpr u64 kMapAnon = 0x1000;
// Accepted and without effect here: MAP_RENAME, MAP_NORESERVE, MAP_INHERIT,
// MAP_HASSEMAPHORE, MAP_TRYFIXED, MAP_WIRED, MAP_STACK, MAP_ALIGNED(n).
constexpr u64 kMapIgnored = 0x20 | 0x40 | 0x80 | 0x200 | 0x400 | 0x800 | 0x2000 | 0xff000000;

constexpr u64 kLinuxMapAnonymous = 0x20;

} // namespace

SysResult sys_mmap(Process& m, Lwp& self, const SyscallArgs& args) {
    u64 flags = args.a[3];
    if ((flags & ~(kMapShared | kMapPrivate | kMapFixed | kMapAnon | kMapIgnored)) != 0)
        return SysResult::of(-err::INVAL);
    u64 pos = m.word_size() == 8 ? args.a[6] : args.a[6] | (args.a[7] << 32);
    SyscallArgs linux;
    linux.a[0] = args.a[0];
    linux.a[1] = args.a[1];
    linux.a[2] = args.a[2];
    // An anonymous mapping that names neither sharing is private on NetBSD.
    u64 sharing = flags & (kMapShared | kMapPrivate);
    if (sharing == 0 && (flags & kMapAnon) != 0)
        sharing = kMapPrivate;
    linux.a[3] = sharing | (flags & kMapFixed) | ((flags & kMapAnon) != 0 ? kLinuxMapAnonymous : 0);
    linux.a[4] = args.a[4];
    linux.a[5] = pos;
    return from_linux(lnx::sys_mmap(m, self, linux));
}

SysResult sys_munmap(Process& m, Lwp& self, const SyscallArgs& args) {
    return from_linux(lnx::sys_munmap(m, self, args));
}

SysResult sys_mprotect(Process& m, Lwp& self, const SyscallArgs& args) {
    return from_linux(lnx::sys_mprotect(m, self, args));
}

SysResult sys_madvise(Process& m, Lwp& self, const SyscallArgs& args) {
    // MADV_DONTNEED is 4 on both; MADV_FREE (6, Go's choice) may drop the
    // contents or keep them, and keeping them is what happens here.
    return from_linux(lnx::sys_madvise(m, self, args));
}

} // namespace crossrt::kernel::nbsd
