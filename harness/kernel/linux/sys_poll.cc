// Pipes and epoll, all in kernel memory: pipe/pipe2 make a buffer with two
// ends, epoll instances watch them (level-triggered readiness), and
// epoll_wait or a read of an empty pipe block the LWP like a futex wait, with
// timeouts on the virtual clock. Writes and closes wake who can now proceed.
#include "kernel/linux/sys.h"
#include "kernel/netbsd/kqueue.h"
#include "kernel/vfs.h"

namespace crossrt::kernel::lnx {
namespace {

constexpr u64 kNonblock = 04000;   // O_NONBLOCK, the same on x86 and ARM
constexpr u64 kCloexec = 02000000; // O_CLOEXEC = EPOLL_CLOEXEC
constexpr u32 kEpollIn = 0x001;
constexpr u32 kEpollOut = 0x004;
constexpr u32 kEpollErr = 0x008;
constexpr u32 kEpollHup = 0x010;
constexpr u32 kEpollOneshot = 1u << 30;
constexpr int kCtlAdd = 1;
constexpr int kCtlDel = 2;
constexpr int kCtlMod = 3;
constexpr i64 kMaxEvents = 0x7fffffff / 12;

// struct epoll_event: packed (12 bytes) on x86, 16 bytes with data at 8 on ARM EABI.
u64 event_size(const Process& m) {
    return m.cpu().arch() == Arch::arm ? 16 : 12;
}
u64 data_offset(const Process& m) {
    return m.cpu().arch() == Arch::arm ? 8 : 4;
}

// O_RDONLY 0, O_WRONLY 1, O_RDWR 2, as F_GETFL reports them.
u64 access_mode(const OpenFile& file) {
    if (file.kind == FileKind::pipe_write)
        return 1;
    if (file.kind == FileKind::virtual_file)
        return file.vfile->readable && file.vfile->writable ? 2 : file.vfile->writable ? 1 : 0;
    return 0;
}

u32 readiness(Process& m, int fd) {
    OpenFile* file = m.files().find(static_cast<u64>(fd));
    if (file == nullptr)
        return 0;
    switch (file->kind) {
    case FileKind::pipe_read:
        return (file->pipe->data.empty() ? 0 : kEpollIn) |
               (file->pipe->writers == 0 ? kEpollHup : 0);
    case FileKind::pipe_write:
        return file->pipe->readers == 0                  ? kEpollOut | kEpollErr
               : file->pipe->data.size() < kPipeCapacity ? kEpollOut
                                                         : 0;
    case FileKind::epoll:
    case FileKind::kqueue:
        return 0;
    case FileKind::virtual_file:
        return kEpollIn | kEpollOut; // devices and snapshots never block
    }
    return 0;
}

// Writes up to max ready events; returns how many, or -EFAULT.
i64 collect(Process& m, Epoll& epoll, u64 buffer, u64 max) {
    i64 count = 0;
    for (auto& [fd, item] : epoll.items) {
        if (static_cast<u64>(count) >= max)
            break;
        if (item.disabled)
            continue;
        u32 ready = readiness(m, fd) & (item.events | kEpollErr | kEpollHup);
        if (ready == 0)
            continue;
        u64 at = buffer + static_cast<u64>(count) * event_size(m);
        if (!m.memory().write_value(at, ready) ||
            !m.memory().write_value(at + data_offset(m), item.data))
            return -err::FAULT;
        if ((item.events & kEpollOneshot) != 0)
            item.disabled = true;
        ++count;
    }
    return count;
}

i64 copy_out(Process& m, Pipe& pipe, u64 buffer, u64 length) {
    u64 n = std::min<u64>(length, pipe.data.size());
    std::vector<u8> bytes(pipe.data.begin(), pipe.data.begin() + static_cast<i64>(n));
    if (n > 0 && !m.memory().write(buffer, bytes.data(), bytes.size()))
        return -err::FAULT;
    pipe.data.erase(pipe.data.begin(), pipe.data.begin() + static_cast<i64>(n));
    if (n > 0)
        ++pipe.generation;
    return static_cast<i64>(n);
}

i64 make_pipe(Process& m, u64 fds_out, u64 flags) {
    if ((flags & ~(kNonblock | kCloexec)) != 0)
        return -err::INVAL;
    auto pipe = std::make_shared<Pipe>();
    pipe->readers = 1;
    pipe->writers = 1;
    OpenFile read_end;
    read_end.kind = FileKind::pipe_read;
    read_end.pipe = pipe;
    read_end.nonblock = (flags & kNonblock) != 0;
    read_end.cloexec = (flags & kCloexec) != 0;
    OpenFile write_end = read_end;
    write_end.kind = FileKind::pipe_write;
    int rfd = m.files().lowest_free();
    m.files().open[rfd] = read_end;
    int wfd = m.files().lowest_free();
    m.files().open[wfd] = write_end;
    if (!m.memory().write_value(fds_out, static_cast<u32>(rfd)) ||
        !m.memory().write_value(fds_out + 4, static_cast<u32>(wfd))) {
        m.files().open.erase(rfd);
        m.files().open.erase(wfd);
        return -err::FAULT;
    }
    return 0;
}

i64 make_epoll(Process& m, u64 flags) {
    if ((flags & ~kCloexec) != 0)
        return -err::INVAL;
    int fd = m.files().lowest_free();
    OpenFile epoll;
    epoll.kind = FileKind::epoll;
    epoll.epoll = std::make_shared<Epoll>();
    epoll.cloexec = (flags & kCloexec) != 0;
    m.files().open[fd] = std::move(epoll);
    return fd;
}

SysResult epoll_wait(Process& m, Lwp& self, u64 epfd, u64 events, u64 max, i64 timeout_ms) {
    OpenFile* file = m.files().find(epfd);
    if (file == nullptr)
        return SysResult::of(-err::BADF);
    if (file->kind != FileKind::epoll || static_cast<i64>(max) <= 0 ||
        static_cast<i64>(max) > kMaxEvents)
        return SysResult::of(-err::INVAL);
    i64 count = collect(m, *file->epoll, events, max);
    if (count != 0 || timeout_ms == 0)
        return SysResult::of(count);
    Wait wait;
    wait.kind = WaitKind::epoll;
    wait.fd = static_cast<int>(epfd);
    wait.address = events;
    wait.count = max;
    if (timeout_ms > 0)
        wait.deadline = m.now_ns() + static_cast<u64>(timeout_ms) * 1'000'000;
    wait.restartable = false; // epoll_wait is never restarted: EINTR
    m.block(self, wait);
    return SysResult::blocked();
}

} // namespace

void notify_files(Process& m) {
    for (const auto& lwp : m.lwps()) {
        if (lwp->state != LwpState::blocked)
            continue;
        if (lwp->wait.kind == WaitKind::epoll) {
            OpenFile* file = m.files().find(static_cast<u64>(lwp->wait.fd));
            if (file == nullptr || file->kind != FileKind::epoll)
                continue;
            i64 count = collect(m, *file->epoll, lwp->wait.address, lwp->wait.count);
            if (count != 0) {
                m.trace().line(m.total_insns(), "lwp {} wakes: epoll_wait", lwp->ordinal);
                m.wake(*lwp, count);
            }
        } else if (lwp->wait.kind == WaitKind::kevent) {
            nbsd::notify_kevent_waiter(m, *lwp);
        } else if (lwp->wait.kind == WaitKind::pipe_read) {
            OpenFile* file = m.files().find(static_cast<u64>(lwp->wait.fd));
            if (file == nullptr || file->kind != FileKind::pipe_read)
                continue;
            if (!file->pipe->data.empty() || file->pipe->writers == 0) {
                m.trace().line(m.total_insns(), "lwp {} wakes: read", lwp->ordinal);
                m.wake(*lwp, copy_out(m, *file->pipe, lwp->wait.address, lwp->wait.count));
            }
        }
    }
}

std::optional<i64> file_write(Process& m, Lwp& self, u64 fd, u64 buffer, u64 length) {
    OpenFile* file = m.files().find(fd);
    if (file == nullptr)
        return std::nullopt;
    if (file->kind == FileKind::virtual_file)
        return virtual_write(m, *file->vfile, buffer, length);
    if (file->kind != FileKind::pipe_write)
        return -err::BADF;
    Pipe& pipe = *file->pipe;
    if (pipe.readers == 0) {
        SigInfo info;
        info.signo = sig::PIPE;
        info.code = kSiUser;
        info.pid = m.pid();
        m.send_to_thread(self, info);
        return -err::PIPE;
    }
    u64 space = kPipeCapacity - std::min(kPipeCapacity, pipe.data.size());
    if (length == 0)
        return 0;
    // A blocking write never waits: past the capacity the buffer grows.
    u64 n = file->nonblock ? std::min(length, space) : std::min<u64>(length, 1 << 20);
    if (n == 0)
        return -err::AGAIN;
    std::vector<u8> bytes(n);
    if (!m.memory().read(buffer, bytes.data(), bytes.size()))
        return -err::FAULT;
    pipe.data.insert(pipe.data.end(), bytes.begin(), bytes.end());
    ++pipe.generation;
    notify_files(m);
    return static_cast<i64>(n);
}

std::optional<SysResult> file_read(Process& m, Lwp& self, u64 fd, u64 buffer, u64 length) {
    OpenFile* file = m.files().find(fd);
    if (file == nullptr)
        return std::nullopt;
    if (file->kind == FileKind::virtual_file)
        return SysResult::of(virtual_read(m, *file->vfile, buffer, length));
    if (file->kind != FileKind::pipe_read)
        return SysResult::of(file->kind == FileKind::epoll ? -err::INVAL : -err::BADF);
    Pipe& pipe = *file->pipe;
    if (length == 0)
        return SysResult::of(0);
    if (!pipe.data.empty() || pipe.writers == 0) {
        i64 n = copy_out(m, pipe, buffer, length);
        notify_files(m); // space for writers' EPOLLOUT
        return SysResult::of(n);
    }
    if (file->nonblock)
        return SysResult::of(-err::AGAIN);
    Wait wait;
    wait.kind = WaitKind::pipe_read;
    wait.fd = static_cast<int>(fd);
    wait.address = buffer;
    wait.count = length;
    wait.restartable = true;
    m.block(self, wait);
    return SysResult::blocked();
}

std::optional<i64> file_close(Process& m, u64 fd) {
    OpenFile* file = m.files().find(fd);
    if (file == nullptr)
        return std::nullopt;
    if (file->kind == FileKind::pipe_read)
        --file->pipe->readers;
    else if (file->kind == FileKind::pipe_write)
        --file->pipe->writers;
    if (file->pipe)
        ++file->pipe->generation;
    m.files().open.erase(static_cast<int>(fd));
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

std::optional<i64> file_fcntl(Process& m, u64 fd, u64 cmd, u64 arg) {
    OpenFile* file = m.files().find(fd);
    if (file == nullptr)
        return std::nullopt;
    constexpr u64 kGetfd = 1, kSetfd = 2, kGetfl = 3, kSetfl = 4;
    switch (cmd) {
    case kGetfd:
        return file->cloexec ? 1 : 0;
    case kSetfd:
        file->cloexec = (arg & 1) != 0;
        return 0;
    case kGetfl:
        return static_cast<i64>(access_mode(*file) | (file->nonblock ? kNonblock : 0));
    case kSetfl:
        file->nonblock = (arg & kNonblock) != 0;
        return 0;
    default:
        return -err::INVAL;
    }
}

SysResult sys_pipe(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(make_pipe(m, args.a[0], 0));
}

SysResult sys_pipe2(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(make_pipe(m, args.a[0], args.a[1]));
}

SysResult sys_epoll_create(Process& m, Lwp&, const SyscallArgs& args) {
    if (static_cast<i32>(args.a[0]) <= 0)
        return SysResult::of(-err::INVAL);
    return SysResult::of(make_epoll(m, 0));
}

SysResult sys_epoll_create1(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(make_epoll(m, args.a[0]));
}

SysResult sys_epoll_ctl(Process& m, Lwp&, const SyscallArgs& args) {
    OpenFile* epfile = m.files().find(args.a[0]);
    u64 fd = args.a[2];
    if (epfile == nullptr || (fd > 2 && m.files().find(fd) == nullptr))
        return SysResult::of(-err::BADF);
    if (fd <= 2)
        return SysResult::of(-err::PERM); // stdin/stdout/stderr: regular files here
    if (epfile->kind != FileKind::epoll || fd == args.a[0])
        return SysResult::of(-err::INVAL);
    int op = static_cast<int>(args.a[1]);
    auto& items = epfile->epoll->items;
    auto it = items.find(static_cast<int>(fd));
    EpollItem item;
    if (op == kCtlAdd || op == kCtlMod) {
        if (!m.memory().read_value(args.a[3], item.events) ||
            !m.memory().read_value(args.a[3] + data_offset(m), item.data))
            return SysResult::of(-err::FAULT);
    }
    switch (op) {
    case kCtlAdd:
        if (it != items.end())
            return SysResult::of(-err::EXIST);
        items[static_cast<int>(fd)] = item;
        break;
    case kCtlMod:
        if (it == items.end())
            return SysResult::of(-err::NOENT);
        it->second = item;
        break;
    case kCtlDel:
        if (it == items.end())
            return SysResult::of(-err::NOENT);
        items.erase(it);
        break;
    default:
        return SysResult::of(-err::INVAL);
    }
    notify_files(m);
    return SysResult::of(0);
}

SysResult sys_epoll_wait(Process& m, Lwp& self, const SyscallArgs& args) {
    return epoll_wait(m, self, args.a[0], args.a[1],
                      static_cast<u64>(static_cast<i64>(static_cast<i32>(args.a[2]))),
                      static_cast<i32>(args.a[3]));
}

SysResult sys_epoll_pwait(Process& m, Lwp& self, const SyscallArgs& args) {
    if (args.a[4] != 0)
        return SysResult::of(m.unsupported(args, "epoll_pwait (with a signal mask)"));
    return epoll_wait(m, self, args.a[0], args.a[1],
                      static_cast<u64>(static_cast<i64>(static_cast<i32>(args.a[2]))),
                      static_cast<i32>(args.a[3]));
}

} // namespace crossrt::kernel::lnx
