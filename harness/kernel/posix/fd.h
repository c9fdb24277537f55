// The calls every kind of fd answers: read, write, close, fcntl, lseek,
// ioctl. fds 0-2 are the host's: stdin is empty, stdout and stderr are
// written through to the kernel process's fds (the guest's captured
// output); fds from 3 are the file table's (files.h).
#pragma once

#include "kernel/lwp.h"
#include "kernel/posix/syscall_table.h"
#include "kernel/types.h"

namespace crossrt::kernel {
class Process;
}

namespace crossrt::kernel::posix {

// The most one read or write moves.
constexpr u64 kMaxIo = 1 << 20;

// Whether fd names a file: 0-2 or an open one.
bool is_open(Process& m, u64 fd);

// Bytes written, or -errno.
i64 write(Process& m, Lwp& self, u64 fd, u64 buffer, u64 length);
// Bytes read (0: end of file), -errno, or self blocks on an empty pipe.
SysResult read(Process& m, Lwp& self, u64 fd, u64 buffer, u64 length);
i64 close(Process& m, u64 fd);

// fcntl's commands, decoded. The flag words' meaning is the same in every
// personality: F_GETFD/F_SETFD's FD_CLOEXEC is 1, F_GETFL's access mode is
// 0 (read), 1 (write) or 2 (both); only O_NONBLOCK's bit differs.
enum class FcntlCmd { getfd, setfd, getfl, setfl, other };
struct FcntlResult {
    i64 value = 0;         // getfd: FD_CLOEXEC; getfl: the access mode; or -errno
    bool nonblock = false; // getfl: O_NONBLOCK is set
};
// flag: setfd's FD_CLOEXEC, setfl's O_NONBLOCK. fds 0-2 answer every
// command (F_GETFL: read-only stdin, write-only stdout and stderr); an
// unknown command on an open file is EINVAL.
FcntlResult fcntl(Process& m, u64 fd, FcntlCmd cmd, bool flag);

// lseek (whence as POSIX numbers it: SEEK_SET 0, SEEK_CUR 1, SEEK_END 2):
// the new offset of a virtual file; ESPIPE for the rest.
i64 seek(Process& m, u64 fd, i64 offset, int whence);
// There are no terminals: ENOTTY on every open fd.
i64 ioctl(Process& m, u64 fd);

} // namespace crossrt::kernel::posix
