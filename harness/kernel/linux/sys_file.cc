// Files: the guest's stdout and stderr are written through to the kernel
// process's fds 1 and 2; stdin is empty; open/openat reach only the virtual
// file set (vfs.h): no host file is ever opened.
#include "kernel/linux/sys.h"
#include "kernel/vfs.h"

#include <unistd.h>

namespace crossrt::kernel::lnx {
namespace {

constexpr u64 kMaxIo = 1 << 20;

i64 write_out(Process& m, Lwp& self, u64 fd, u64 buffer, u64 length) {
    if (auto result = file_write(m, self, fd, buffer, length))
        return *result;
    int host_fd = fd == 1 ? m.out_fd() : fd == 2 ? m.err_fd() : -1;
    if (fd == 0)
        return -err::BADF;
    if (host_fd < 0)
        return -err::BADF;
    length = std::min(length, kMaxIo);
    std::vector<char> bytes(length);
    if (!m.memory().read(buffer, bytes.data(), bytes.size()))
        return -err::FAULT;
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(host_fd, bytes.data() + done, bytes.size() - done);
        if (n <= 0)
            return done > 0 ? static_cast<i64>(done) : -err::PIPE;
        done += static_cast<std::size_t>(n);
    }
    return static_cast<i64>(done);
}

// open/openat on the virtual file set (vfs.h); Linux's O_ flags.
i64 open_path(Process& m, u64 path_address, u64 flags) {
    constexpr u64 kAccessMode = 3, kNonblock = 04000, kCloexec = 02000000;
    OpenRequest request;
    if (!m.memory().read_string(path_address, request.path))
        return -err::FAULT;
    u64 access = flags & kAccessMode;
    request.read = access != 1;
    request.write = access != 0;
    request.nonblock = (flags & kNonblock) != 0;
    request.cloexec = (flags & kCloexec) != 0;
    return open_virtual(m, request);
}

} // namespace

SysResult sys_write(Process& m, Lwp& self, const SyscallArgs& args) {
    return SysResult::of(write_out(m, self, args.a[0], args.a[1], args.a[2]));
}

SysResult sys_writev(Process& m, Lwp& self, const SyscallArgs& args) {
    u64 word = static_cast<u64>(m.word_size());
    i64 total = 0;
    for (u64 i = 0; i < std::min<u64>(args.a[2], 1024); ++i) {
        u64 base = 0, length = 0;
        if (!m.read_word(args.a[1] + i * 2 * word, base) ||
            !m.read_word(args.a[1] + i * 2 * word + word, length))
            return SysResult::of(total > 0 ? total : -err::FAULT);
        i64 n = write_out(m, self, args.a[0], base, length);
        if (n < 0)
            return SysResult::of(total > 0 ? total : n);
        total += n;
    }
    return SysResult::of(total);
}

SysResult sys_read(Process& m, Lwp& self, const SyscallArgs& args) {
    if (auto result = file_read(m, self, args.a[0], args.a[1], std::min(args.a[2], kMaxIo)))
        return *result;
    if (args.a[0] == 0)
        return SysResult::of(0); // stdin is empty
    return SysResult::of(-err::BADF);
}

SysResult sys_openat(Process& m, Lwp&, const SyscallArgs& args) {
    // Only absolute paths name anything, so the directory fd does not matter.
    return SysResult::of(open_path(m, args.a[1], args.a[2]));
}

SysResult sys_open(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(open_path(m, args.a[0], args.a[1]));
}

SysResult sys_close(Process& m, Lwp&, const SyscallArgs& args) {
    if (auto result = file_close(m, args.a[0]))
        return SysResult::of(*result);
    return SysResult::of(args.a[0] <= 2 ? 0 : -err::BADF);
}

SysResult sys_fcntl(Process& m, Lwp&, const SyscallArgs& args) {
    if (auto result = file_fcntl(m, args.a[0], args.a[1], args.a[2]))
        return SysResult::of(*result);
    if (args.a[0] > 2)
        return SysResult::of(-err::BADF);
    constexpr u64 kGetfl = 3;
    if (args.a[1] == kGetfl)
        return SysResult::of(args.a[0] == 0 ? 0 : 1); // O_RDONLY / O_WRONLY
    return SysResult::of(0);
}

SysResult sys_ioctl(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(args.a[0] <= 2 || m.files().find(args.a[0]) ? -err::NOTTY : -err::BADF);
}

SysResult sys_lseek(Process& m, Lwp&, const SyscallArgs& args) {
    OpenFile* file = m.files().find(args.a[0]);
    if (file != nullptr && file->kind == FileKind::virtual_file)
        return SysResult::of(virtual_seek(*file->vfile, to_i64(args.a[1], m.word_size()),
                                          static_cast<int>(args.a[2])));
    return SysResult::of(args.a[0] <= 2 || file != nullptr ? -err::SPIPE : -err::BADF);
}

} // namespace crossrt::kernel::lnx
