// kqueue and __kevent50: NetBSD's struct kevent, its EVFILT_ and EV_
// numbers around posix/kqueue.h (the read and write filters on pipes and
// fds 0-2, EV_CLEAR edges, EV_ONESHOT, EV_DISPATCH, EV_ENABLE/DISABLE,
// EV_DELETE, EV_RECEIPT), with timeouts on the virtual clock. A kevent that
// finds nothing blocks the LWP until a write, read or close makes an event
// (posix::notify_files), the timeout (0 events) or a signal (EINTR).
#include "kernel/netbsd/sys.h"
#include "kernel/posix/kqueue.h"
#include "kernel/posix/poll.h"

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

// A struct kevent as the guest wrote it.
struct RawKevent {
    u64 ident = 0;
    u32 filter = 0;
    u32 flags = 0;
    u32 fflags = 0;
    i64 data = 0;
    u64 udata = 0;
};

bool read_kevent(Process& m, u64 at, RawKevent& event) {
    KeventLayout l = layout_of(m);
    return m.read_word(at, event.ident) && m.memory().read_value(at + l.filter, event.filter) &&
           m.memory().read_value(at + l.flags, event.flags) &&
           m.memory().read_value(at + l.fflags, event.fflags) &&
           m.memory().read_value(at + l.data, event.data) && m.read_word(at + l.udata, event.udata);
}

bool write_raw(Process& m, u64 at, const RawKevent& event) {
    KeventLayout l = layout_of(m);
    return m.write_word(at, event.ident) && m.memory().write_value(at + l.filter, event.filter) &&
           m.memory().write_value(at + l.flags, event.flags) &&
           m.memory().write_value(at + l.fflags, event.fflags) &&
           m.memory().write_value(at + l.data, event.data) &&
           m.write_word(at + l.udata, event.udata);
}

// Kqueue::write_event: a triggered event, the index-th at buffer.
bool write_event(Process& m, u64 buffer, u64 index, const posix::Kevent& event) {
    RawKevent raw;
    raw.ident = event.ident;
    raw.filter = event.filter == posix::KqueueFilter::read ? kFilterRead : kFilterWrite;
    raw.flags = (event.oneshot ? kEvOneshot : 0) | (event.clear ? kEvClear : 0) |
                (event.dispatch ? kEvDispatch : 0) | (event.eof ? kEvEof : 0);
    raw.data = event.data;
    raw.udata = event.udata;
    return write_raw(m, buffer + index * layout_of(m).size, raw);
}

posix::KqueueChange decode_change(const RawKevent& raw) {
    posix::KqueueChange change;
    change.ident = raw.ident;
    if (raw.filter == kFilterRead)
        change.filter = posix::KqueueFilter::read;
    else if (raw.filter == kFilterWrite)
        change.filter = posix::KqueueFilter::write;
    change.add = (raw.flags & kEvAdd) != 0;
    change.remove = (raw.flags & kEvDelete) != 0;
    change.enable = (raw.flags & kEvEnable) != 0;
    change.disable = (raw.flags & kEvDisable) != 0;
    change.oneshot = (raw.flags & kEvOneshot) != 0;
    change.clear = (raw.flags & kEvClear) != 0;
    change.dispatch = (raw.flags & kEvDispatch) != 0;
    change.fflags = raw.fflags;
    change.udata = raw.udata;
    return change;
}

} // namespace

SysResult sys_kqueue(Process& m, Lwp&, const SyscallArgs&) {
    return SysResult::of(encode_errno(posix::make_kqueue(m, write_event)));
}

// __kevent50(kq, changelist, nchanges, eventlist, nevents, timeout)
SysResult sys_kevent(Process& m, Lwp& self, const SyscallArgs& args) {
    posix::OpenFile* file = m.files().find(args.a[0]);
    if (file == nullptr)
        return SysResult::of(-err::BADF);
    if (file->kind != posix::FileKind::kqueue)
        return SysResult::of(-err::INVAL);
    u64 nchanges = args.a[2] & 0xffffffff, nevents = args.a[4] & 0xffffffff;
    if (nchanges > kMaxEvents || nevents > kMaxEvents)
        return SysResult::of(-err::INVAL);
    KeventLayout l = layout_of(m);
    posix::Kqueue& kq = *file->kqueue;
    u64 out = args.a[3];
    i64 errors = 0; // EV_ERROR entries written to the event list
    for (u64 i = 0; i < nchanges; ++i) {
        RawKevent change;
        if (!read_kevent(m, args.a[1] + i * l.size, change))
            return SysResult::of(-err::FAULT);
        i64 result = encode_errno(posix::kqueue_apply(m, kq, decode_change(change)));
        if (result == 0 && (change.flags & kEvReceipt) == 0)
            continue;
        // Errors (and receipts) go to the event list while it has room.
        if (static_cast<u64>(errors) >= nevents)
            return SysResult::of(result);
        change.flags = kEvError;
        change.data = -result;
        if (!write_raw(m, out + static_cast<u64>(errors) * l.size, change))
            return SysResult::of(-err::FAULT);
        ++errors;
    }
    if (errors > 0)
        return SysResult::of(errors);
    if (nevents == 0)
        return SysResult::of(0);
    i64 count = posix::kqueue_collect(m, kq, out, nevents);
    if (count != 0)
        return SysResult::of(encode_errno(count));
    std::optional<u64> timeout;
    if (args.a[5] != 0) {
        u64 ns = 0;
        if (!read_timespec(m, args.a[5], ns))
            return SysResult::of(-err::FAULT);
        if (ns == 0)
            return SysResult::of(0);
        timeout = ns;
    }
    return posix::wait_on_queue(m, self, WaitKind::kevent, static_cast<int>(args.a[0]), out,
                                nevents, timeout);
}

} // namespace crossrt::kernel::nbsd
