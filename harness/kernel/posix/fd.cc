#include "kernel/posix/fd.h"

#include "kernel/posix/pipe.h"
#include "kernel/posix/poll.h"
#include "kernel/posix/vfs.h"
#include "kernel/process.h"

#include <unistd.h>
#include <vector>

namespace crossrt::kernel::posix {
namespace {

// O_RDONLY 0, O_WRONLY 1, O_RDWR 2, as F_GETFL reports them.
i64 access_mode(const OpenFile& file) {
    if (file.kind == FileKind::pipe_write)
        return 1;
    if (file.kind == FileKind::virtual_file)
        return file.vfile->readable && file.vfile->writable ? 2 : file.vfile->writable ? 1 : 0;
    return 0;
}

i64 write_host(Process& m, int host_fd, u64 buffer, u64 length) {
    length = std::min(length, kMaxIo);
    std::vector<char> bytes(length);
    if (!m.memory().read(buffer, bytes.data(), bytes.size()))
        return -err::FAULT;
    return m.write_output(host_fd, bytes.data(), bytes.size());
}

} // namespace

bool is_open(Process& m, u64 fd) {
    return fd <= 2 || m.files().find(fd) != nullptr;
}

i64 write(Process& m, Lwp& self, u64 fd, u64 buffer, u64 length) {
    if (OpenFile* file = m.files().find(fd)) {
        if (file->kind == FileKind::virtual_file)
            return virtual_write(m, *file->vfile, buffer, length);
        if (file->kind != FileKind::pipe_write)
            return -err::BADF;
        return pipe_write(m, self, *file, buffer, length);
    }
    if (fd == 1)
        return write_host(m, m.out_fd(), buffer, length);
    if (fd == 2)
        return write_host(m, m.err_fd(), buffer, length);
    return -err::BADF;
}

SysResult read(Process& m, Lwp& self, u64 fd, u64 buffer, u64 length) {
    length = std::min(length, kMaxIo);
    if (OpenFile* file = m.files().find(fd)) {
        if (file->kind == FileKind::virtual_file)
            return SysResult::of(virtual_read(m, *file->vfile, buffer, length));
        if (file->kind != FileKind::pipe_read)
            return SysResult::of(file->kind == FileKind::epoll ? -err::INVAL : -err::BADF);
        return pipe_read(m, self, *file, static_cast<int>(fd), buffer, length);
    }
    if (fd == 0)
        return SysResult::of(0); // stdin is empty
    return SysResult::of(-err::BADF);
}

i64 close(Process& m, u64 fd) {
    OpenFile* file = m.files().find(fd);
    if (file == nullptr)
        return fd <= 2 ? 0 : -err::BADF;
    if (file->kind == FileKind::pipe_read)
        --file->pipe->readers;
    else if (file->kind == FileKind::pipe_write)
        --file->pipe->writers;
    if (file->pipe)
        ++file->pipe->generation;
    m.files().open.erase(static_cast<int>(fd));
    // Its registrations in every event queue go with it.
    for (auto& [number, other] : m.files().open) {
        if (other.kind == FileKind::epoll)
            other.epoll->items.erase(static_cast<int>(fd));
        if (other.kind == FileKind::kqueue)
            std::erase_if(other.kqueue->items,
                          [fd](const auto& entry) { return entry.first.first == fd; });
    }
    notify_files(m);
    return 0;
}

FcntlResult fcntl(Process& m, u64 fd, FcntlCmd cmd, bool flag) {
    OpenFile* file = m.files().find(fd);
    if (file == nullptr) {
        if (fd > 2)
            return {-err::BADF};
        return {cmd == FcntlCmd::getfl ? (fd == 0 ? 0 : 1) : 0}; // O_RDONLY / O_WRONLY
    }
    switch (cmd) {
    case FcntlCmd::getfd:
        return {file->cloexec ? 1 : 0};
    case FcntlCmd::setfd:
        file->cloexec = flag;
        return {0};
    case FcntlCmd::getfl:
        return {access_mode(*file), file->nonblock};
    case FcntlCmd::setfl:
        file->nonblock = flag;
        return {0};
    case FcntlCmd::other:
        break;
    }
    return {-err::INVAL};
}

i64 seek(Process& m, u64 fd, i64 offset, int whence) {
    OpenFile* file = m.files().find(fd);
    if (file != nullptr && file->kind == FileKind::virtual_file)
        return virtual_seek(*file->vfile, offset, whence);
    return is_open(m, fd) ? -err::SPIPE : -err::BADF;
}

i64 ioctl(Process& m, u64 fd) {
    return is_open(m, fd) ? -err::NOTTY : -err::BADF;
}

} // namespace crossrt::kernel::posix
