// The guest's file table beyond fds 0-2: in-kernel pipes and epoll
// instances. No host fd is ever opened for them; everything is kernel memory,
// so a run stays deterministic.
#pragma once

#include "kernel/types.h"

#include <deque>
#include <map>
#include <memory>

namespace crossrt::kernel {

constexpr std::size_t kPipeCapacity = 65536;

struct Pipe {
    std::deque<u8> data;
    int readers = 0; // open read ends
    int writers = 0; // open write ends
};

struct EpollItem {
    u32 events = 0; // EPOLLIN, EPOLLOUT, EPOLLET, EPOLLONESHOT, ...
    u64 data = 0;
    bool disabled = false; // EPOLLONESHOT after an event
};

struct Epoll {
    std::map<int, EpollItem> items; // by watched fd
};

enum class FileKind { pipe_read, pipe_write, epoll };

struct OpenFile {
    FileKind kind = FileKind::pipe_read;
    std::shared_ptr<Pipe> pipe;
    std::shared_ptr<Epoll> epoll;
    bool nonblock = false;
    bool cloexec = false;
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
