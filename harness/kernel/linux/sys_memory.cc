// mmap, munmap, mprotect, madvise, brk: Linux's MAP_ and MADV_ numbers
// around posix/memory.h.
#include "kernel/linux/sys.h"
#include "kernel/posix/memory.h"

namespace crossrt::kernel::lnx {
namespace {

constexpr u64 kMapShared = 0x01;
constexpr u64 kMapPrivate = 0x02;
constexpr u64 kMapFixed = 0x10;
constexpr u64 kMapAnonymous = 0x20;
constexpr u64 kMapFixedNoreplace = 0x100000;
constexpr u64 kMadvDontneed = 4;

// PROT_READ, PROT_WRITE and PROT_EXEC are the kernel's kProt* bits.
bool valid_prot(u64 prot) {
    return (prot & ~u64{7}) == 0;
}

i64 mmap(Process& m, const SyscallArgs& args, u64 offset) {
    if (!valid_prot(args.a[2]))
        return -err::INVAL;
    u64 flags = args.a[3];
    posix::MmapRequest request;
    request.address = args.a[0];
    request.length = args.a[1];
    request.prot = static_cast<int>(args.a[2]);
    request.shared = (flags & kMapShared) != 0;
    request.private_ = (flags & kMapPrivate) != 0;
    request.fixed = (flags & kMapFixed) != 0;
    request.fixed_noreplace = (flags & kMapFixedNoreplace) != 0;
    request.anonymous = (flags & kMapAnonymous) != 0;
    request.fd = args.a[4];
    request.offset = offset;
    return posix::mmap(m, request);
}

} // namespace

SysResult sys_mmap(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(mmap(m, args, args.a[5]));
}

// mmap2's offset counts 4096-byte pages.
SysResult sys_mmap2(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(mmap(m, args, args.a[5] * kPageSize));
}

SysResult sys_munmap(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::munmap(m, args.a[0], args.a[1]));
}

SysResult sys_mprotect(Process& m, Lwp&, const SyscallArgs& args) {
    if (!valid_prot(args.a[2]))
        return SysResult::of(-err::INVAL);
    return SysResult::of(posix::mprotect(m, args.a[0], args.a[1], static_cast<int>(args.a[2])));
}

SysResult sys_madvise(Process& m, Lwp&, const SyscallArgs& args) {
    posix::Advice advice =
        args.a[2] == kMadvDontneed ? posix::Advice::dontneed : posix::Advice::other;
    return SysResult::of(posix::madvise(m, args.a[0], args.a[1], advice));
}

SysResult sys_brk(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(static_cast<i64>(posix::brk(m, args.a[0])));
}

} // namespace crossrt::kernel::lnx
