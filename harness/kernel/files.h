// The guest's file table beyond fds 0-2: in-kernel pipes, epoll
// instances (Linux) and kqueues (NetBSD). No host fd is ever opened for them; everything is kernel
// memory, so a run stays deterministic.
#pragma once

#include "kernel/types.h"

#include <deque>
#include <map>
#include <memory>
#include <string>

namespace crossrt::kernel {

constexpr std::size_t kPipeCapacity = 65536;

struct Pipe {
    std::deque<u8> data;
    int readers = 0; // open read ends
    int writers = 0; // open write ends
    // Bumped on every change (data in or out, an end closed): the "new
    // event" that edge-triggered kqueue filters (EV_CLEAR) report.
    u64 generation = 0;
};

struct EpollItem {
    u32 events = 0; // EPOLLIN, EPOLLOUT, EPOLLET, EPOLLONESHOT, ...
    u64 data = 0;
    bool disabled = false; // EPOLLONESHOT after an event
};

struct Epoll {
    std::map<int, EpollItem> items; // by watched fd
};

// A kqueue registration: (ident, filter) with kevent's flags and udata.
struct KqueueItem {
    u64 ident = 0;
    u32 filter = 0;
    u32 flags = 0; // EV_CLEAR, EV_ONESHOT, EV_DISPATCH as registered
    u32 fflags = 0;
    u64 udata = 0;
    bool enabled = true;
    bool reported = false; // EV_CLEAR: reported since the last change
    u64 reported_generation = 0;
};

struct Kqueue {
    std::map<std::pair<u64, u32>, KqueueItem> items; // by (ident, filter)
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

} // namespace crossrt::kernel
