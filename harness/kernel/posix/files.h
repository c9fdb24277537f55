// The guest's file table: the host's streams (fds 0-2 at boot: stdin is
// empty, stdout and stderr are the guest's captured output), in-kernel
// pipes, sockets of the run's loopback network (socket.h), event queues (Linux's epoll instances,
// NetBSD's kqueues), the virtual file set and the files and directories of the run's tree
// (fs_tree.h). No host fd is ever held for them; everything is kernel
// memory, so a run stays deterministic.
#pragma once

#include "kernel/posix/fs_tree.h"
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

// RLIMIT_NOFILE as a Linux login gets it: 1024 soft, and a hard limit the
// guest may raise its soft one to (Go does at start-up). The hard one
// bounds what a hostile guest's fd table can hold.
constexpr u64 kDefaultOpenFiles = 1024;
constexpr u64 kMaxOpenFiles = 4096;

struct Pipe {
    std::deque<u8> data;
    int readers = 0; // open read ends (a FIFO's: with the opens still waiting)
    int writers = 0; // open write ends (likewise)
    // A FIFO's (fifo.h): its node's inode (0: an anonymous pipe), the opens
    // of each end so far (a waiting open completes when the other end's
    // count moves, as Linux's r_counter and w_counter), and the opens
    // waiting in open(2).
    u64 fifo_ino = 0;
    u64 reader_opens = 0;
    u64 writer_opens = 0;
    int waiting_readers = 0;
    int waiting_writers = 0;
    // Bumped on every change (data in or out, an end closed): the "new
    // event" that edge-triggered kqueue filters (EV_CLEAR) report.
    u64 generation = 0;
};

struct Epoll;
struct Socket;

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

// A file or directory of the run's tree, open: what open(2) makes and dup
// and fork share (the offset moves for every fd that names it).
struct TreeFile {
    NodePtr node;
    std::string path; // absolute, as it was opened (readlink of /proc/self/fd/N)
    u64 offset = 0;
    bool readable = false;
    bool writable = false;
    bool append = false;
    // A directory being listed: the last name getdents returned (the next
    // call goes on after it, so entries removed meanwhile shift nothing),
    // how many it returned (the d_off cookies), and whether "." and ".."
    // were.
    std::string listed_after;
    u64 listed = 0;
};

// The host stream behind fds 0-2 at boot: stdin reads as empty, stdout and
// stderr write through to the kernel process's (the captured output).
enum class Stream { in = 0, out = 1, err = 2 };

enum class FileKind { stream, pipe_read, pipe_write, epoll, kqueue, virtual_file, tree, socket };

struct OpenFile {
    FileKind kind = FileKind::pipe_read;
    Stream stream = Stream::in;
    std::shared_ptr<Pipe> pipe;
    std::shared_ptr<Epoll> epoll;
    bool nonblock = false;
    bool cloexec = false;
    // A FIFO opened O_RDWR: a pipe_read end that is a write end too.
    bool both_ends = false;
    std::shared_ptr<Kqueue> kqueue;
    std::shared_ptr<VirtualFile> vfile;
    std::shared_ptr<TreeFile> tree;
    std::shared_ptr<Socket> socket;
};

// An epoll registration (epoll.h), by watched fd. As Linux's, it watches
// the open file description the fd named when it was added: a fork
// child's close of its copy of the fd leaves the parent's registration
// alone, and it goes when the last fd of the description, in any
// process, is closed.
struct EpollItem {
    OpenFile watched;
    bool in = false;    // EPOLLIN asked for
    bool out = false;   // EPOLLOUT asked for
    bool rdhup = false; // EPOLLRDHUP asked for
    bool edge = false;  // EPOLLET: reported again only after the file changed
    u64 reported_generation = 0;
    bool reported = false;
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

// Whether two fds name the same open file description (dup, fork).
bool same_description(const OpenFile& a, const OpenFile& b);

struct Files {
    Files() {
        for (Stream stream : {Stream::in, Stream::out, Stream::err}) {
            OpenFile file;
            file.kind = FileKind::stream;
            file.stream = stream;
            open[static_cast<int>(stream)] = file;
        }
    }
    std::map<int, OpenFile> open;
    // RLIMIT_NOFILE: no fd at or above soft is handed out; the hard limit
    // may be lowered, never raised (the guest is not root).
    u64 open_soft = kDefaultOpenFiles;
    u64 open_hard = kMaxOpenFiles;
    // An fd number the table may hand out now (F_DUPFD, dup2 and friends
    // check their target against it).
    bool within_limit(u64 fd) const { return fd < open_soft; }
    // The lowest free fd.
    int lowest_free() const { return lowest_free_from(0); }
    int lowest_free_from(int first) const {
        int fd = first;
        for (auto it = open.lower_bound(first); it != open.end() && it->first == fd; ++it)
            ++fd;
        return fd;
    }
    OpenFile* find(u64 fd) {
        auto it = open.find(static_cast<int>(fd));
        return fd > 0x7fffffff || it == open.end() ? nullptr : &it->second;
    }
};

} // namespace crossrt::kernel::posix
