#include "kernel/posix/epoll.h"

#include "kernel/posix/poll.h"
#include "kernel/process.h"

namespace crossrt::kernel::posix {
namespace {

// As Linux's EP_MAX_EVENTS: the list must fit INT_MAX bytes of 12-byte events.
constexpr i64 kMaxEvents = 0x7fffffff / 12;

} // namespace

i64 make_epoll(Process& m, bool cloexec, EpollEventWriter write_event) {
    int fd = m.files().lowest_free();
    if (!m.files().within_limit(static_cast<u64>(fd)))
        return -err::MFILE;
    OpenFile file;
    file.kind = FileKind::epoll;
    file.epoll = std::make_shared<Epoll>();
    file.epoll->write_event = write_event;
    file.cloexec = cloexec;
    m.files().open[fd] = std::move(file);
    return fd;
}

i64 epoll_check(Process& m, u64 epfd, u64 fd) {
    OpenFile* epfile = m.files().find(epfd);
    OpenFile* file = m.files().find(fd);
    if (epfile == nullptr || file == nullptr)
        return -err::BADF;
    // Regular files and directories cannot be watched (EPERM, as Linux
    // says); nor can the host streams, which are always ready.
    if (file->kind == FileKind::stream || file->kind == FileKind::tree)
        return -err::PERM;
    if (epfile->kind != FileKind::epoll || fd == epfd)
        return -err::INVAL;
    return 0;
}

i64 epoll_ctl(Process& m, u64 epfd, EpollOp op, u64 fd, const EpollItem& item) {
    if (i64 r = epoll_check(m, epfd, fd); r < 0)
        return r;
    auto& items = m.files().find(epfd)->epoll->items;
    auto it = items.find(static_cast<int>(fd));
    switch (op) {
    case EpollOp::add:
        if (it != items.end())
            return -err::EXIST;
        items[static_cast<int>(fd)] = item;
        items[static_cast<int>(fd)].watched = *m.files().find(fd);
        break;
    case EpollOp::modify:
        if (it == items.end())
            return -err::NOENT;
        {
            OpenFile watched = std::move(it->second.watched);
            it->second = item; // a oneshot item is armed again
            it->second.watched = std::move(watched);
        }
        break;
    case EpollOp::remove:
        if (it == items.end())
            return -err::NOENT;
        items.erase(it);
        break;
    }
    notify_files(m);
    return 0;
}

i64 epoll_collect(Process& m, Epoll& epoll, u64 buffer, u64 max) {
    i64 count = 0;
    for (auto& [fd, item] : epoll.items) {
        if (static_cast<u64>(count) >= max)
            break;
        if (item.disabled)
            continue;
        // The description registered, whatever this process's fd now names.
        auto now = readiness_of(item.watched);
        // EPOLLET: only a change since the last report makes a new one.
        if (item.edge && item.reported && item.reported_generation == now.generation)
            continue;
        EpollEvent event;
        event.events.in = item.in && now.events.in;
        event.events.out = item.out && now.events.out;
        event.events.rdhup = item.rdhup && now.events.rdhup;
        event.events.err = now.events.err;
        event.events.hup = now.events.hup;
        if (!event.events.in && !event.events.out && !event.events.err && !event.events.hup &&
            !event.events.rdhup)
            continue;
        event.data = item.data;
        if (!epoll.write_event(m, buffer, static_cast<u64>(count), event))
            return -err::FAULT;
        item.reported = true;
        item.reported_generation = now.generation;
        if (item.oneshot)
            item.disabled = true;
        ++count;
    }
    return count;
}

SysResult epoll_wait(Process& m, Lwp& self, u64 epfd, u64 buffer, i64 max,
                     std::optional<u64> timeout_ns) {
    OpenFile* file = m.files().find(epfd);
    if (file == nullptr)
        return SysResult::of(-err::BADF);
    if (file->kind != FileKind::epoll || max <= 0 || max > kMaxEvents)
        return SysResult::of(-err::INVAL);
    i64 count = epoll_collect(m, *file->epoll, buffer, static_cast<u64>(max));
    if (count != 0 || timeout_ns == u64{0})
        return SysResult::of(count);
    return wait_on_queue(m, self, WaitKind::epoll, static_cast<int>(epfd), buffer,
                         static_cast<u64>(max), timeout_ns);
}

} // namespace crossrt::kernel::posix
