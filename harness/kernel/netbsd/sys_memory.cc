// mmap, munmap, mprotect, madvise: NetBSD's argument layout and flag bits
// around posix/memory.h. NetBSD's mmap is mmap(addr, len, prot, flags, fd,
// PAD, pos): the pad keeps the 64-bit pos aligned, so pos is arg 6 (two
// words on 386 and arm).
#include "kernel/netbsd/sys.h"
#include "kernel/posix/memory.h"

namespace crossrt::kernel::nbsd {
namespace {

constexpr u64 kMapShared = 0x1;
constexpr u64 kMapPrivate = 0x2;
constexpr u64 kMapFixed = 0x10;
constexpr u64 kMapAnon = 0x1000;
// Accepted and without effect here: MAP_RENAME, MAP_NORESERVE, MAP_INHERIT,
// MAP_HASSEMAPHORE, MAP_TRYFIXED, MAP_WIRED, MAP_STACK, MAP_ALIGNED(n).
constexpr u64 kMapIgnored = 0x20 | 0x40 | 0x80 | 0x200 | 0x400 | 0x800 | 0x2000 | 0xff000000;
constexpr u64 kMadvDontneed = 4;

// PROT_READ, PROT_WRITE and PROT_EXEC are the kernel's kProt* bits.
bool valid_prot(u64 prot) {
    return (prot & ~u64{7}) == 0;
}

} // namespace

SysResult sys_mmap(Process& m, Lwp&, const SyscallArgs& args) {
    u64 flags = args.a[3];
    if ((flags & ~(kMapShared | kMapPrivate | kMapFixed | kMapAnon | kMapIgnored)) != 0 ||
        !valid_prot(args.a[2]))
        return SysResult::of(-err::INVAL);
    posix::MmapRequest request;
    request.address = args.a[0];
    request.length = args.a[1];
    request.prot = static_cast<int>(args.a[2]);
    request.anonymous = (flags & kMapAnon) != 0;
    request.shared = (flags & kMapShared) != 0;
    // An anonymous mapping that names neither sharing is private on NetBSD.
    request.private_ = (flags & kMapPrivate) != 0 || (request.anonymous && !request.shared);
    request.fixed = (flags & kMapFixed) != 0;
    request.fd = args.a[4];
    request.offset = m.word_size() == 8 ? args.a[6] : args.a[6] | (args.a[7] << 32);
    return SysResult::of(encode_errno(posix::mmap(m, request)));
}

SysResult sys_munmap(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(encode_errno(posix::munmap(m, args.a[0], args.a[1])));
}

SysResult sys_mprotect(Process& m, Lwp&, const SyscallArgs& args) {
    if (!valid_prot(args.a[2]))
        return SysResult::of(-err::INVAL);
    return SysResult::of(
        encode_errno(posix::mprotect(m, args.a[0], args.a[1], static_cast<int>(args.a[2]))));
}

SysResult sys_madvise(Process& m, Lwp&, const SyscallArgs& args) {
    // MADV_FREE (6, Go's choice) may drop the contents or keep them, and
    // keeping them is what happens here.
    posix::Advice advice =
        args.a[2] == kMadvDontneed ? posix::Advice::dontneed : posix::Advice::other;
    return SysResult::of(encode_errno(posix::madvise(m, args.a[0], args.a[1], advice)));
}

} // namespace crossrt::kernel::nbsd
