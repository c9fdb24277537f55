#include "kernel/posix/fd.h"

#include "kernel/kernel.h"
#include "kernel/posix/args.h"
#include "kernel/posix/fifo.h"
#include "kernel/posix/pipe.h"
#include "kernel/posix/poll.h"
#include "kernel/posix/process.h"
#include "kernel/posix/socket.h"
#include "kernel/posix/socket_io.h"
#include "kernel/posix/tree_io.h"
#include "kernel/posix/vfs.h"
#include "kernel/process.h"

#include <unistd.h>
#include <vector>

namespace crossrt::kernel::posix {
namespace {

// O_RDONLY 0, O_WRONLY 1, O_RDWR 2, as F_GETFL reports them.
i64 access_mode(const OpenFile& file) {
    auto mode = [](bool readable, bool writable) { return readable && writable ? 2 : writable; };
    switch (file.kind) {
    case FileKind::pipe_write:
        return 1;
    case FileKind::socket:
        return 2;
    case FileKind::stream:
        return file.stream == Stream::in ? 0 : 1;
    case FileKind::virtual_file:
        return mode(file.vfile->readable, file.vfile->writable);
    case FileKind::tree:
        return mode(file.tree->readable, file.tree->writable);
    default:
        return 0;
    }
}

i64 write_host(Process& m, int host_fd, u64 buffer, u64 length) {
    length = std::min(length, kMaxIo);
    std::vector<char> bytes(length);
    if (!m.memory().read(buffer, bytes.data(), bytes.size()))
        return -err::FAULT;
    return m.write_output(host_fd, bytes.data(), bytes.size());
}

bool description_open(Kernel& kernel, const OpenFile& description) {
    for (const auto& process : kernel.processes()) {
        for (const auto& [fd, file] : process->files().open) {
            if (same_description(file, description))
                return true;
        }
    }
    return false;
}

void forget_in_epolls(Kernel& kernel, const OpenFile& description) {
    for (const auto& process : kernel.processes()) {
        for (auto& [fd, file] : process->files().open) {
            if (file.kind == FileKind::epoll)
                std::erase_if(file.epoll->items, [&](const auto& entry) {
                    return same_description(entry.second.watched, description);
                });
        }
    }
}

} // namespace

bool is_open(Process& m, u64 fd) {
    return m.files().find(fd) != nullptr;
}

SysResult write(Process& m, Lwp& self, u64 fd, u64 buffer, u64 length) {
    OpenFile* file = m.files().find(fd);
    if (file == nullptr)
        return SysResult::of(-err::BADF);
    switch (file->kind) {
    case FileKind::virtual_file:
        return SysResult::of(virtual_write(m, *file->vfile, buffer, length));
    case FileKind::tree:
        return SysResult::of(tree_write(m, *file->tree, buffer, length, std::nullopt));
    case FileKind::pipe_write:
        return pipe_write(m, self, *file->pipe, file->nonblock, false, static_cast<int>(fd), buffer,
                          length);
    case FileKind::pipe_read:
        return file->both_ends ? pipe_write(m, self, *file->pipe, file->nonblock, false,
                                            static_cast<int>(fd), buffer, length)
                               : SysResult::of(-err::BADF);
    case FileKind::stream:
        if (file->stream == Stream::in)
            return SysResult::of(-err::BADF);
        return SysResult::of(
            write_host(m, file->stream == Stream::out ? m.out_fd() : m.err_fd(), buffer, length));
    case FileKind::socket:
        return socket_send(m, self, SocketAbi{}, fd, buffer, length, MsgFlags{}, 0, 0);
    default:
        return SysResult::of(-err::BADF);
    }
}

SysResult writev(Process& m, Lwp& self, u64 fd, u64 iov, u64 count) {
    const OpenFile* file = m.files().find(fd);
    if (file != nullptr && file->kind == FileKind::socket)
        return socket_writev(m, self, fd, iov, count); // one message of every segment
    bool pipe = file != nullptr &&
                (file->kind == FileKind::pipe_write || file->kind == FileKind::pipe_read);
    if (!pipe) {
        return SysResult::of(each_iovec(m, iov, count, [&](u64 base, u64 length) {
            return write(m, self, fd, base, length).value;
        }));
    }
    // A pipe: the first segment only (a blocking write may wait; a short
    // write is allowed), as readv's read.
    Iovec first;
    if (count > 1024)
        return SysResult::of(-err::INVAL);
    if (i64 error = first_iovec(m, iov, count, first); error != 0)
        return SysResult::of(error);
    return first.length == 0 ? SysResult::of(0) : write(m, self, fd, first.base, first.length);
}

SysResult read(Process& m, Lwp& self, u64 fd, u64 buffer, u64 length) {
    length = std::min(length, kMaxIo);
    OpenFile* file = m.files().find(fd);
    if (file == nullptr)
        return SysResult::of(-err::BADF);
    switch (file->kind) {
    case FileKind::virtual_file:
        return SysResult::of(virtual_read(m, *file->vfile, buffer, length));
    case FileKind::tree:
        return SysResult::of(tree_read(m, *file->tree, buffer, length, std::nullopt));
    case FileKind::pipe_read:
        return pipe_read(m, self, *file, static_cast<int>(fd), buffer, length);
    case FileKind::stream:
        return SysResult::of(file->stream == Stream::in ? 0 : -err::BADF); // stdin is empty
    case FileKind::epoll:
        return SysResult::of(-err::INVAL);
    case FileKind::socket:
        return socket_recv(m, self, SocketAbi{}, fd, buffer, length, MsgFlags{}, 0, 0);
    default:
        return SysResult::of(-err::BADF);
    }
}

i64 pread(Process& m, u64 fd, u64 buffer, u64 length, i64 offset) {
    OpenFile* file = m.files().find(fd);
    if (file == nullptr)
        return -err::BADF;
    if (file->kind != FileKind::tree && file->kind != FileKind::virtual_file)
        return -err::SPIPE;
    if (offset < 0)
        return -err::INVAL;
    if (file->kind == FileKind::virtual_file) {
        VirtualFile& vfile = *file->vfile;
        u64 kept = vfile.offset;
        vfile.offset = static_cast<u64>(offset);
        i64 result = virtual_read(m, vfile, buffer, length);
        vfile.offset = kept;
        return result;
    }
    return tree_read(m, *file->tree, buffer, length, static_cast<u64>(offset));
}

i64 pwrite(Process& m, u64 fd, u64 buffer, u64 length, i64 offset) {
    OpenFile* file = m.files().find(fd);
    if (file == nullptr)
        return -err::BADF;
    if (file->kind == FileKind::virtual_file)
        return virtual_write(m, *file->vfile, buffer, length);
    if (file->kind != FileKind::tree)
        return -err::SPIPE;
    if (offset < 0)
        return -err::INVAL;
    return tree_write(m, *file->tree, buffer, length, static_cast<u64>(offset));
}

i64 fsync(Process& m, u64 fd) {
    OpenFile* file = m.files().find(fd);
    if (file == nullptr)
        return -err::BADF;
    // The tree is memory: every write is as durable as it gets at once.
    return file->kind == FileKind::tree || file->kind == FileKind::virtual_file ||
                   file->kind == FileKind::stream
               ? 0
               : -err::INVAL;
}

OpenFile share(const OpenFile& file) {
    if (file.kind == FileKind::pipe_read)
        ++file.pipe->readers;
    if (file.kind == FileKind::pipe_write || file.both_ends)
        ++file.pipe->writers;
    if (file.kind == FileKind::socket)
        ++file.socket->fds;
    return file;
}

i64 dup(Process& m, u64 fd, u64 lowest, bool cloexec) {
    OpenFile* file = m.files().find(fd);
    if (file == nullptr)
        return -err::BADF;
    if (!m.files().within_limit(lowest))
        return -err::INVAL;
    int target = m.files().lowest_free_from(static_cast<int>(lowest));
    if (!m.files().within_limit(static_cast<u64>(target)))
        return -err::MFILE;
    OpenFile copy = share(*file);
    copy.cloexec = cloexec;
    m.files().open[target] = std::move(copy);
    return target;
}

i64 dup_to(Process& m, u64 fd, u64 target, bool cloexec) {
    OpenFile* file = m.files().find(fd);
    if (file == nullptr || !m.files().within_limit(target))
        return -err::BADF;
    if (fd == target)
        return static_cast<i64>(target);
    OpenFile copy = share(*file);
    copy.cloexec = cloexec;
    if (m.files().find(target) != nullptr)
        close(m, target);
    m.files().open[static_cast<int>(target)] = std::move(copy);
    notify_files(m);
    return static_cast<i64>(target);
}

i64 close(Process& m, u64 fd) {
    OpenFile* file = m.files().find(fd);
    if (file == nullptr)
        return -err::BADF;
    OpenFile closed = std::move(*file);
    m.files().open.erase(static_cast<int>(fd));
    // A kqueue's registrations of the fd go with it (kqueues are the
    // process's own: fork does not copy them).
    for (auto& [number, other] : m.files().open) {
        if (other.kind == FileKind::kqueue)
            std::erase_if(other.kqueue->items,
                          [fd](const auto& entry) { return entry.first.first == fd; });
    }
    release_file(m, closed);
    return 0;
}

void release_file(Process& m, OpenFile& file) {
    if (file.kind == FileKind::pipe_read)
        --file.pipe->readers;
    if (file.kind == FileKind::pipe_write || file.both_ends)
        --file.pipe->writers;
    if (file.pipe) {
        ++file.pipe->generation;
        forget_fifo_if_unused(m, *file.pipe);
    }
    // A socket's end is closed with its last reference: then its peer
    // sees EOF (or a reset) and its name is free.
    if (file.kind == FileKind::socket && --file.socket->fds == 0)
        socket_release(m, *file.socket);
    // An epoll's registrations go when no fd of any process names the
    // description.
    if (!description_open(m.kernel(), file))
        forget_in_epolls(m.kernel(), file);
    notify_files(m);
}

bool same_description(const OpenFile& a, const OpenFile& b) {
    return a.kind == b.kind && a.pipe == b.pipe && a.epoll == b.epoll && a.kqueue == b.kqueue &&
           a.vfile == b.vfile && a.tree == b.tree && a.socket == b.socket &&
           (a.kind != FileKind::stream || a.stream == b.stream);
}

FcntlResult fcntl(Process& m, u64 fd, FcntlCmd cmd, bool flag) {
    OpenFile* file = m.files().find(fd);
    if (file == nullptr)
        return {-err::BADF};
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
    if (file != nullptr && file->kind == FileKind::tree)
        return tree_seek(m, *file->tree, offset, whence);
    return is_open(m, fd) ? -err::SPIPE : -err::BADF;
}

i64 ioctl(Process& m, u64 fd) {
    return is_open(m, fd) ? -err::NOTTY : -err::BADF;
}

} // namespace crossrt::kernel::posix
