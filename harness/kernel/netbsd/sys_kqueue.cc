// kqueue and __kevent50 as Go's netpoller uses them: EVFILT_READ and
// EVFILT_WRITE on in-kernel pipes (and stdin/stdout/stderr), level- or
// edge-triggered (EV_CLEAR: reported again only after the pipe changed),
// EV_ONESHOT, EV_ENABLE/EV_DISABLE, EV_DELETE, EV_RECEIPT, with timeouts on
// the virtual clock. A kevent that finds nothing blocks the LWP until a
// write, read or close makes an event (notify_files), the timeout (0
// events) or a signal (EINTR).
#include "kernel/netbsd/kqueue.h"
#include "kernel/netbsd/sys.h"

namespace crossrt::kernel::nbsd {
namespace {

constexpr u32 kFilterRead = 0;
constexpr u32 kFilterWrite = 1;
constexpr u32 kEvAdd = 0x1;
constexpr u32 kEvDelete = 0x2;
constexpr u32 kEvEnable = 0x4;
constexpr u32 kEvDisable = 0x8;
constexpr u32 kEvOneshot = 0x10;
constexpr u32 kEvClear = 0x20;
constexpr u32 kEvReceipt = 0x40;
constexpr u32 kEvDispatch = 0x80;
constexpr u32 kEvError = 0x4000;
constexpr u32 kEvEof = 0x8000;
constexpr u32 kKeptFlags = kEvOneshot | kEvClear | kEvDispatch;
constexpr u64 kMaxEvents = 1 << 16;

// struct kevent: ident (uintptr_t), filter, flags, fflags (uint32_t),
// data (int64_t), udata (void*); 40 bytes on amd64, 28 on 386, 32 on arm
// (EABI aligns data to 8).
struct KeventLayout {
    u64 size, filter, flags, fflags, data, udata;
};
KeventLayout layout_of(const Process& m) {
    switch (m.cpu().arch()) {
    case Arch::amd64:
        return {40, 8, 12, 16, 24, 32};
    case Arch::i386:
        return {28, 4, 8, 12, 16, 24};
    case Arch::arm:
        return {32, 4, 8, 12, 16, 24};
    }
    return {40, 8, 12, 16, 24, 32};
}

struct Kevent {
    u64 ident = 0;
    u32 filter = 0;
    u32 flags = 0;
    u32 fflags = 0;
    i64 data = 0;
    u64 udata = 0;
};

bool read_kevent(Process& m, u64 at, Kevent& event) {
    KeventLayout l = layout_of(m);
    return m.read_word(at, event.ident) && m.memory().read_value(at + l.filter, event.filter) &&
           m.memory().read_value(at + l.flags, event.flags) &&
           m.memory().read_value(at + l.fflags, event.fflags) &&
           m.memory().read_value(at + l.data, event.data) && m.read_word(at + l.udata, event.udata);
}

bool write_kevent(Process& m, u64 at, const Kevent& event) {
    KeventLayout l = layout_of(m);
    return m.write_word(at, event.ident) && m.memory().write_value(at + l.filter, event.filter) &&
           m.memory().write_value(at + l.flags, event.flags) &&
           m.memory().write_value(at + l.fflags, event.fflags) &&
           m.memory().write_value(at + l.data, event.data) &&
           m.write_word(at + l.udata, event.udata);
}

// What a filter sees on ident now: ready, with data, EOF and the pipe's
// generation (0 for the standard fds, which never change).
struct Readiness {
    bool ready = false;
    bool eof = false;
    i64 data = 0;
    u64 generation = 0;
};

std::optional<Readiness> readiness(Process& m, u64 ident, u32 filter) {
    Readiness r;
    if (ident <= 2) {
        // stdin is empty (readable at EOF), stdout and stderr always take data.
        r.ready = filter == kFilterRead ? ident == 0 : ident != 0;
        r.eof = filter == kFilterRead && ident == 0;
        return r;
    }
    OpenFile* file = m.files().find(ident);
    if (file == nullptr || !file->pipe)
        return std::nullopt;
    Pipe& pipe = *file->pipe;
    r.generation = pipe.generation;
    if (filter == kFilterRead && file->kind == FileKind::pipe_read) {
        r.data = static_cast<i64>(pipe.data.size());
        r.eof = pipe.writers == 0;
        r.ready = r.data > 0 || r.eof;
    } else if (filter == kFilterWrite && file->kind == FileKind::pipe_write) {
        r.data = static_cast<i64>(kPipeCapacity - std::min(kPipeCapacity, pipe.data.size()));
        r.eof = pipe.readers == 0;
        r.ready = r.data > 0 || r.eof;
    }
    return r;
}

// Writes up to max triggered events at buffer; returns how many, or -EFAULT.
i64 collect(Process& m, Kqueue& kq, u64 buffer, u64 max) {
    i64 count = 0;
    KeventLayout l = layout_of(m);
    for (auto it = kq.items.begin(); it != kq.items.end() && static_cast<u64>(count) < max;) {
        KqueueItem& item = it->second;
        auto now = readiness(m, item.ident, item.filter);
        bool edge = (item.flags & kEvClear) != 0;
        bool fire = item.enabled && now && now->ready &&
                    !(edge && item.reported && item.reported_generation == now->generation);
        if (!fire) {
            ++it;
            continue;
        }
        Kevent event{item.ident, item.filter, (item.flags & kKeptFlags) | (now->eof ? kEvEof : 0),
                     0,          now->data,   item.udata};
        if (!write_kevent(m, buffer + static_cast<u64>(count) * l.size, event))
            return -err::FAULT;
        ++count;
        item.reported = true;
        item.reported_generation = now->generation;
        if ((item.flags & kEvDispatch) != 0)
            item.enabled = false;
        if ((item.flags & kEvOneshot) != 0)
            it = kq.items.erase(it);
        else
            ++it;
    }
    return count;
}

// One change; 0 or -errno.
i64 apply(Process& m, Kqueue& kq, const Kevent& change) {
    if (change.filter != kFilterRead && change.filter != kFilterWrite)
        return -err::INVAL;
    if (change.ident > 2 && m.files().find(change.ident) == nullptr)
        return -err::BADF;
    auto key = std::make_pair(change.ident, change.filter);
    auto it = kq.items.find(key);
    if ((change.flags & kEvDelete) != 0) {
        if (it == kq.items.end())
            return -err::NOENT;
        kq.items.erase(it);
        return 0;
    }
    if ((change.flags & kEvAdd) != 0) {
        KqueueItem& item = kq.items[key];
        item.ident = change.ident;
        item.filter = change.filter;
        item.flags = change.flags & kKeptFlags;
        item.fflags = change.fflags;
        item.udata = change.udata;
        item.enabled = (change.flags & kEvDisable) == 0;
        item.reported = false;
        return 0;
    }
    if (it == kq.items.end())
        return -err::NOENT;
    if ((change.flags & kEvEnable) != 0)
        it->second.enabled = true;
    if ((change.flags & kEvDisable) != 0)
        it->second.enabled = false;
    return 0;
}

} // namespace

void notify_kevent_waiter(Process& m, Lwp& lwp) {
    OpenFile* file = m.files().find(static_cast<u64>(lwp.wait.fd));
    if (file == nullptr || file->kind != FileKind::kqueue)
        return;
    i64 count = collect(m, *file->kqueue, lwp.wait.events_out, lwp.wait.count);
    if (count != 0) {
        m.trace().line(m.total_insns(), "lwp {} wakes: kevent", lwp.ordinal);
        m.wake(lwp, count);
    }
}

SysResult sys_kqueue(Process& m, Lwp&, const SyscallArgs&) {
    int fd = m.files().lowest_free();
    OpenFile file;
    file.kind = FileKind::kqueue;
    file.kqueue = std::make_shared<Kqueue>();
    m.files().open[fd] = file;
    return SysResult::of(fd);
}

// __kevent50(kq, changelist, nchanges, eventlist, nevents, timeout)
SysResult sys_kevent(Process& m, Lwp& self, const SyscallArgs& args) {
    OpenFile* file = m.files().find(args.a[0]);
    if (file == nullptr)
        return SysResult::of(-err::BADF);
    if (file->kind != FileKind::kqueue)
        return SysResult::of(-err::INVAL);
    u64 nchanges = args.a[2] & 0xffffffff, nevents = args.a[4] & 0xffffffff;
    if (nchanges > kMaxEvents || nevents > kMaxEvents)
        return SysResult::of(-err::INVAL);
    KeventLayout l = layout_of(m);
    Kqueue& kq = *file->kqueue;
    u64 out = args.a[3];
    i64 errors = 0; // EV_ERROR entries written to the event list
    for (u64 i = 0; i < nchanges; ++i) {
        Kevent change;
        if (!read_kevent(m, args.a[1] + i * l.size, change))
            return SysResult::of(-err::FAULT);
        i64 result = apply(m, kq, change);
        if (result == 0 && (change.flags & kEvReceipt) == 0)
            continue;
        // Errors (and receipts) go to the event list while it has room.
        if (static_cast<u64>(errors) >= nevents)
            return SysResult::of(result);
        change.flags = kEvError;
        change.data = -result;
        if (!write_kevent(m, out + static_cast<u64>(errors) * l.size, change))
            return SysResult::of(-err::FAULT);
        ++errors;
    }
    if (errors > 0)
        return SysResult::of(errors);
    if (nevents == 0)
        return SysResult::of(0);
    i64 count = collect(m, kq, out, nevents);
    if (count != 0)
        return SysResult::of(count);
    Wait wait;
    wait.kind = WaitKind::kevent;
    wait.fd = static_cast<int>(args.a[0]);
    wait.events_out = out;
    wait.count = nevents;
    if (args.a[5] != 0) {
        u64 ns = 0;
        if (!read_timespec(m, args.a[5], ns))
            return SysResult::of(-err::FAULT);
        if (ns == 0)
            return SysResult::of(0);
        wait.deadline = m.now_ns() + ns;
        wait.timeout_result = 0; // no events
    }
    m.block(self, wait);
    return SysResult::blocked();
}

} // namespace crossrt::kernel::nbsd
