// The guest's file table beyond fds 0-2: in-kernel pipes, event queues
// (Linux's epoll instances, NetBSD's kqueues) and the virtual file set. No
// host fd is ever opened for them; everything is kernel memory, so a run
// stays deterministic. fds 0-2 are the host's stdin (empty), stdout and
// stderr (fd.h).
#pragma once

#include "kernel/types.h"

#include <deque>
#include <map>
#include <memory>
#include <string>

namespace crossrt::kernel {
class Process;
}

namespace crossrt::kernel::posix {

constexpr std::size_t kPipeCapacity = 65536;

struct Pipe {
    std::deque<u8> data;
    int readers = 0; // open read ends
    int writers = 0; // open write ends
    // Bumped on every change (data in or out, an end closed): the "new
    // event" that edge-triggered kqueue filters (EV_CLEAR) report.
    u64 generation = 0;
};

// An epoll registration (epoll.h), by watched fd.
struct EpollItem {
    bool in = false;  // EPOLLIN asked for
    bool out = false; // EPOLLOUT asked for
    bool oneshot = false;
    u64 data = 0;
    bool disabled = false; // a oneshot item after its event
};

struct EpollEvent;
// How the personality writes one ready event (struct epoll_event) into
// the guest's buffer: the index-th of the list at buffer.
using EpollEventWriter = bool (*)(Process& m, u64 buffer, u64 index, const EpollEvent& event);

struct Epoll {
    std::map<int, EpollItem> items;
    EpollEventWriter write_event = nullptr;
};

// The two filters both kqueue users need (kqueue.h).
enum class KqueueFilter { read, write };

// A kqueue registration: (ident, filter) with what the change asked for.
struct KqueueItem {
    u64 ident = 0;
    KqueueFilter filter = KqueueFilter::read;
    bool oneshot = false;  // EV_ONESHOT: deleted once reported
    bool clear = false;    // EV_CLEAR: reported again only after a change
    bool dispatch = false; // EV_DISPATCH: disabled once reported
    u32 fflags = 0;
    u64 udata = 0;
    bool enabled = true;
    bool reported = false; // EV_CLEAR: reported since the last change
    u64 reported_generation = 0;
};

struct Kevent;
// How the personality writes one triggered event (struct kevent).
using KeventWriter = bool (*)(Process& m, u64 buffer, u64 index, const Kevent& event);

struct Kqueue {
    std::map<std::pair<u64, KqueueFilter>, KqueueItem> items; // by (ident, filter)
    KeventWriter write_event = nullptr;
};

// A file of the virtual file set (vfs.h): its bytes are made by the kernel
// when it is opened, or it is a device that makes them as they are read.
struct VirtualFile {
    enum class Device { regular, null, zero, random };
    std::string path;
    Device device = Device::regular;
    std::string content; // regular files: a snapshot taken at open
    u64 offset = 0;
    bool readable = true;
    bool writable = false;
};

enum class FileKind { pipe_read, pipe_write, epoll, kqueue, virtual_file };

struct OpenFile {
    FileKind kind = FileKind::pipe_read;
    std::shared_ptr<Pipe> pipe;
    std::shared_ptr<Epoll> epoll;
    bool nonblock = false;
    bool cloexec = false;
    std::shared_ptr<Kqueue> kqueue;
    std::shared_ptr<VirtualFile> vfile;
};

struct Files {
    std::map<int, OpenFile> open; // fds >= 3
    // The lowest free fd >= 3.
    int lowest_free() const {
        int fd = 3;
        for (const auto& [number, file] : open) {
            if (number != fd)
                break;
            ++fd;
        }
        return fd;
    }
    OpenFile* find(u64 fd) {
        auto it = open.find(static_cast<int>(fd));
        return fd > 0x7fffffff || it == open.end() ? nullptr : &it->second;
    }
};

} // namespace crossrt::kernel::posix
