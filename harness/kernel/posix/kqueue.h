// kqueue's registrations over the file table, as Go's netpoller uses them:
// the read and write filters on pipes and fds 0-2, level-triggered or
// edge-triggered (clear: reported again only after the pipe changed),
// oneshot, dispatch, enable/disable, delete. A personality decodes struct
// kevent and its EV_* bits into KqueueChange and writes Kevent back in its
// layout (Kqueue::write_event).
#pragma once

#include "kernel/posix/files.h"

#include <optional>

namespace crossrt::kernel {
class Process;
}

namespace crossrt::kernel::posix {

// One change of a changelist, decoded.
struct KqueueChange {
    u64 ident = 0;
    std::optional<KqueueFilter> filter; // nullopt: a filter kqueue does not have here
    bool add = false;
    bool remove = false; // EV_DELETE
    bool enable = false;
    bool disable = false;
    bool oneshot = false;
    bool clear = false;
    bool dispatch = false;
    u32 fflags = 0;
    u64 udata = 0;
};

// A triggered event, as kevent returns it.
struct Kevent {
    u64 ident = 0;
    KqueueFilter filter = KqueueFilter::read;
    bool oneshot = false; // the registration's flags, echoed
    bool clear = false;
    bool dispatch = false;
    bool eof = false; // the other end is gone (EV_EOF)
    i64 data = 0;     // bytes to read, or room to write
    u64 udata = 0;
};

// kqueue(): the new fd.
i64 make_kqueue(Process& m, KeventWriter write_event);

// Applies one change: 0 or -errno (EINVAL for an unknown filter, EBADF for
// a fd that is not open, ENOENT for a registration that does not exist).
i64 kqueue_apply(Process& m, Kqueue& kq, const KqueueChange& change);

// Writes up to max triggered events at buffer: how many, or -EFAULT.
i64 kqueue_collect(Process& m, Kqueue& kq, u64 buffer, u64 max);

} // namespace crossrt::kernel::posix
