#include "kernel/posix/kqueue.h"

#include "kernel/posix/fd.h"
#include "kernel/posix/poll.h"
#include "kernel/process.h"

namespace crossrt::kernel::posix {
namespace {

// What a filter sees on ident now: nullopt for what it cannot watch (the
// event queues and the virtual files), else ready, EOF, data and the
// pipe's generation (0 for the host streams and tree files, which never
// block).
struct FilterState {
    bool ready = false;
    bool eof = false;
    i64 data = 0;
    u64 generation = 0;
};

std::optional<FilterState> filter_state(Process& m, u64 ident, KqueueFilter filter) {
    auto now = readiness(m, ident);
    OpenFile* file = m.files().find(ident);
    if (!now || file == nullptr ||
        !(now->pipe || now->socket || file->kind == FileKind::stream ||
          file->kind == FileKind::tree))
        return std::nullopt;
    FilterState state;
    state.generation = now->generation;
    if (now->socket) {
        // As NetBSD's filt_soread and filt_sowrite: EOF once the socket
        // can receive (send) no more, data the bytes (connections) to take
        // or the room to send.
        if (filter == KqueueFilter::read) {
            state.ready = now->events.in || now->events.rdhup || now->events.err;
            state.eof = now->events.rdhup;
            state.data = static_cast<i64>(now->bytes);
        } else {
            state.ready = now->send_ready || now->cant_send || now->events.err;
            state.eof = now->cant_send;
            state.data = static_cast<i64>(now->room);
        }
        return state;
    }
    if (filter == KqueueFilter::read) {
        state.ready = now->events.in || now->events.hup;
        state.eof = now->events.hup;
    } else {
        state.ready = now->events.out || now->events.err;
        state.eof = now->events.err;
    }
    state.data = static_cast<i64>(now->bytes);
    return state;
}

} // namespace

i64 make_kqueue(Process& m, KeventWriter write_event) {
    int fd = m.files().lowest_free();
    if (!m.files().within_limit(static_cast<u64>(fd)))
        return -err::MFILE;
    OpenFile file;
    file.kind = FileKind::kqueue;
    file.kqueue = std::make_shared<Kqueue>();
    file.kqueue->write_event = write_event;
    m.files().open[fd] = file;
    return fd;
}

i64 kqueue_collect(Process& m, Kqueue& kq, u64 buffer, u64 max) {
    i64 count = 0;
    for (auto it = kq.items.begin(); it != kq.items.end() && static_cast<u64>(count) < max;) {
        KqueueItem& item = it->second;
        auto now = filter_state(m, item.ident, item.filter);
        bool fire = item.enabled && now && now->ready &&
                    !(item.clear && item.reported && item.reported_generation == now->generation);
        if (!fire) {
            ++it;
            continue;
        }
        Kevent event{item.ident,    item.filter, item.oneshot, item.clear,
                     item.dispatch, now->eof,    now->data,    item.udata};
        if (!kq.write_event(m, buffer, static_cast<u64>(count), event))
            return -err::FAULT;
        ++count;
        item.reported = true;
        item.reported_generation = now->generation;
        if (item.dispatch)
            item.enabled = false;
        if (item.oneshot)
            it = kq.items.erase(it);
        else
            ++it;
    }
    return count;
}

i64 kqueue_apply(Process& m, Kqueue& kq, const KqueueChange& change) {
    if (!change.filter)
        return -err::INVAL;
    if (!is_open(m, change.ident))
        return -err::BADF;
    auto key = std::make_pair(change.ident, *change.filter);
    auto it = kq.items.find(key);
    if (change.remove) {
        if (it == kq.items.end())
            return -err::NOENT;
        kq.items.erase(it);
        return 0;
    }
    if (change.add) {
        KqueueItem& item = kq.items[key];
        item.ident = change.ident;
        item.filter = *change.filter;
        item.oneshot = change.oneshot;
        item.clear = change.clear;
        item.dispatch = change.dispatch;
        item.fflags = change.fflags;
        item.udata = change.udata;
        item.enabled = !change.disable;
        item.reported = false;
        return 0;
    }
    if (it == kq.items.end())
        return -err::NOENT;
    if (change.enable)
        it->second.enabled = true;
    if (change.disable)
        it->second.enabled = false;
    return 0;
}

} // namespace crossrt::kernel::posix
