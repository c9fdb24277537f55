// The calls every kind of fd answers: read, write, pread, pwrite, close,
// dup, fcntl, lseek, fsync, ioctl, on the file table (files.h), where fds
// 0-2 start as the host's streams: stdin is empty, stdout and stderr are
// written through to the kernel process's fds (the guest's captured
// output).
#pragma once

#include "kernel/lwp.h"
#include "kernel/posix/files.h"
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

// Bytes written, -errno, or self waits for room in a full pipe.
SysResult write(Process& m, Lwp& self, u64 fd, u64 buffer, u64 length);
// writev: every segment in turn; to a pipe the first one only (a short
// write), which may wait as write does.
SysResult writev(Process& m, Lwp& self, u64 fd, u64 iov, u64 count);
// Bytes read (0: end of file), -errno, or self blocks on an empty pipe.
SysResult read(Process& m, Lwp& self, u64 fd, u64 buffer, u64 length);
i64 close(Process& m, u64 fd);
// At an offset, the file's own not moved: ESPIPE for pipes and streams.
i64 pread(Process& m, u64 fd, u64 buffer, u64 length, i64 offset);
i64 pwrite(Process& m, u64 fd, u64 buffer, u64 length, i64 offset);
// fsync/fdatasync: the tree is memory, so 0 for what it holds.
i64 fsync(Process& m, u64 fd);
// Another fd for the same open file (its offset and status flags
// shared): dup and F_DUPFD take the lowest free fd >= lowest; dup2/dup3
// take target, closing what it named.
i64 dup(Process& m, u64 fd, u64 lowest, bool cloexec);
i64 dup_to(Process& m, u64 fd, u64 target, bool cloexec);
// A copy of an open file for another fd (dup, fork, SCM_RIGHTS): a pipe
// counts its new end, a socket its new reference.
OpenFile share(const OpenFile& file);
// Lets a reference go that no fd holds any more (close, and files passed
// with SCM_RIGHTS that nobody received): the other end of a pipe or
// socket learns of the last one.
void release_file(Process& m, OpenFile& file);

// fcntl's commands, decoded. The flag words' meaning is the same in every
// personality: F_GETFD/F_SETFD's FD_CLOEXEC is 1, F_GETFL's access mode is
// 0 (read), 1 (write) or 2 (both); only O_NONBLOCK's bit differs.
enum class FcntlCmd { getfd, setfd, getfl, setfl, other };
struct FcntlResult {
    i64 value = 0;         // getfd: FD_CLOEXEC; getfl: the access mode; or -errno
    bool nonblock = false; // getfl: O_NONBLOCK is set
};
// flag: setfd's FD_CLOEXEC, setfl's O_NONBLOCK (F_GETFL of the host
// streams: read-only stdin, write-only stdout and stderr); an unknown
// command is EINVAL.
FcntlResult fcntl(Process& m, u64 fd, FcntlCmd cmd, bool flag);

// lseek (whence as POSIX numbers it: SEEK_SET 0, SEEK_CUR 1, SEEK_END 2,
// SEEK_DATA 3, SEEK_HOLE 4): the new offset of a virtual or tree file;
// ESPIPE for the rest.
i64 seek(Process& m, u64 fd, i64 offset, int whence);
// There are no terminals: ENOTTY on every open fd.
i64 ioctl(Process& m, u64 fd);

} // namespace crossrt::kernel::posix
