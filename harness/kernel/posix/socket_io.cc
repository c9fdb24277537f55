#include "kernel/posix/socket_io.h"

#include "kernel/kernel.h"
#include "kernel/posix/args.h"
#include "kernel/posix/fd.h"
#include "kernel/posix/pipe.h"
#include "kernel/posix/poll.h"
#include "kernel/posix/socket.h"
#include "kernel/process.h"

#include <algorithm>
#include <optional>
#include <vector>

namespace crossrt::kernel::posix {
namespace {

constexpr u64 kMaxSegments = 1024; // UIO_MAXIOV
constexpr u64 kMaxUdp4 = 65507;    // 65535 less the IPv4 and UDP headers
constexpr u64 kMaxUdp6 = 65527;
constexpr u64 kMaxRightsPerMessage = 253; // Linux's SCM_MAX_FD
constexpr int kUdp = 17;

struct Segments {
    std::vector<Iovec> list;
    u64 total = 0;
};

Segments one_segment(u64 buffer, u64 length) {
    Segments segments;
    length = std::min(length, kMaxIo);
    if (length > 0)
        segments.list.push_back({buffer, length});
    segments.total = length;
    return segments;
}

i64 read_segments(Process& m, u64 iov, u64 count, Segments& out) {
    if (count > kMaxSegments)
        return -err::MSGSIZE;
    u64 word = static_cast<u64>(m.word_size());
    for (u64 i = 0; i < count; ++i) {
        Iovec segment;
        if (!m.read_word(iov + i * 2 * word, segment.base) ||
            !m.read_word(iov + i * 2 * word + word, segment.length))
            return -err::FAULT;
        if (to_i64(segment.length, m.word_size()) < 0)
            return -err::INVAL;
        segment.length = std::min(segment.length, kMaxIo - out.total);
        if (segment.length == 0)
            continue;
        out.list.push_back(segment);
        out.total += segment.length;
    }
    return 0;
}

// The first n bytes the segments name, from guest memory.
bool gather(Process& m, const Segments& segments, u64 n, std::vector<u8>& out) {
    out.clear();
    for (const Iovec& segment : segments.list) {
        if (out.size() >= n)
            break;
        u64 take = std::min(segment.length, n - out.size());
        std::size_t at = out.size();
        out.resize(at + take);
        if (!m.memory().read(segment.base, out.data() + at, take))
            return false;
    }
    return true;
}

bool scatter(Process& m, const Segments& segments, const u8* data, u64 n) {
    u64 done = 0;
    for (const Iovec& segment : segments.list) {
        if (done >= n)
            break;
        u64 put = std::min(segment.length, n - done);
        if (!m.memory().write(segment.base, data + done, put))
            return false;
        done += put;
    }
    return true;
}

// EPIPE, with SIGPIPE to the caller unless MSG_NOSIGNAL.
i64 broken(Process& m, Lwp& self, const MsgFlags& flags) {
    if (!flags.nosignal) {
        SigInfo info;
        info.signo = sig::PIPE;
        info.code = kSiUser;
        info.pid = m.pid();
        m.send_to_thread(self, info);
    }
    return -err::PIPE;
}

i64 take_error(Socket& s) {
    i64 error = s.error;
    s.error = 0;
    ++s.generation;
    return error;
}

// An AF_UNIX sender without a name: recvfrom says nothing of it (length 0).
bool is_unnamed(const SockAddr& addr) {
    return addr.family == Family::local && !addr.abstract && addr.path.empty();
}

SysResult wait_for(Process& m, Lwp& self, u64 fd, SocketWaitFor what, u64 target = 0) {
    Wait wait;
    wait.kind = WaitKind::socket;
    wait.fd = static_cast<int>(fd);
    wait.count = static_cast<u64>(what);
    wait.address = target;
    wait.restartable = true;
    m.block(self, wait);
    return SysResult::blocked();
}

// What a send carries.
struct Outgoing {
    Segments data;
    std::optional<SockAddr> to;
    std::vector<OpenFile> rights; // counted already (share)
    bool one_buffer = false;      // a blocking stream write waits for all of it
};

void release_rights(Process& m, std::vector<OpenFile>& rights) {
    land_rights(m, rights);
}

SysResult send_stream(Process& m, Lwp& self, u64 fd, OpenFile& file, Outgoing& out,
                      const MsgFlags& flags) {
    Socket& s = *file.socket;
    bool tcp = s.family != Family::local;
    if (out.to && !tcp)
        return SysResult::of(s.state == SocketState::connected ? -err::ISCONN : -err::OPNOTSUPP);
    if (s.state != SocketState::connected)
        return SysResult::of(tcp ? broken(m, self, flags) : -err::NOTCONN);
    if (tcp && s.error != 0) {
        i64 error = take_error(s);
        return SysResult::of(error == -err::PIPE ? broken(m, self, flags) : error);
    }
    if (s.shut_write || s.reset)
        return SysResult::of(broken(m, self, flags));
    if (s.tx->readers == 0 || s.peer_closed) {
        if (!tcp)
            return SysResult::of(broken(m, self, flags));
        // A TCP peer that closed takes this write and answers with a
        // reset: the next one fails.
        s.reset = true;
        s.error = -err::PIPE;
        ++s.generation;
        notify_files(m);
        return SysResult::of(static_cast<i64>(out.data.total));
    }
    if (out.data.total == 0)
        return SysResult::of(0);
    bool nonblock = file.nonblock || flags.dontwait;
    if (out.one_buffer && out.rights.empty()) {
        const Iovec& only = out.data.list.front();
        return pipe_write(m, self, *s.tx, nonblock, flags.nosignal, static_cast<int>(fd), only.base,
                          only.length);
    }
    u64 room = kPipeCapacity - std::min(kPipeCapacity, s.tx->data.size());
    u64 n = std::min(room, out.data.total);
    if (n == 0) {
        if (nonblock)
            return SysResult::of(-err::AGAIN);
        return wait_for(m, self, fd, SocketWaitFor::writable);
    }
    std::vector<u8> bytes;
    if (!gather(m, out.data, n, bytes))
        return SysResult::of(-err::FAULT);
    if (!out.rights.empty()) {
        // Unless the peer is gone, it takes them (send_on lets them go).
        if (auto peer = s.peer.lock()) {
            u64 begin = peer->consumed + s.tx->data.size();
            peer->rx_rights.push_back({begin, begin + n, std::move(out.rights)});
            out.rights.clear();
        }
    }
    s.tx->data.insert(s.tx->data.end(), bytes.begin(), bytes.end());
    ++s.tx->generation;
    notify_files(m);
    return SysResult::of(static_cast<i64>(n));
}

// Where a datagram goes, found; -errno, or nullopt with result set when
// it is dropped or the caller waits.
SysResult send_datagram(Process& m, Lwp& self, u64 fd, OpenFile& file, Outgoing& out,
                        const MsgFlags& flags, const SocketAbi& abi) {
    (void)abi;
    Socket& s = *file.socket;
    std::shared_ptr<Socket> self_socket = file.socket;
    std::shared_ptr<Socket> target;
    SockAddr from;
    if (s.type == SocketType::seqpacket) {
        if (s.state != SocketState::connected)
            return SysResult::of(-err::NOTCONN);
        target = s.peer.lock();
        if (s.shut_write || !target || s.peer_closed || target->state == SocketState::closed)
            return SysResult::of(broken(m, self, flags));
        from = s.local.value_or(unnamed_local());
    } else if (s.family == Family::local) {
        i64 error = 0;
        if (out.to) {
            target = find_socket_by_name(m, *out.to, error);
            if (!target)
                return SysResult::of(error);
        } else {
            target = s.peer.lock();
            if (!s.remote)
                return SysResult::of(-err::NOTCONN);
            if (!target || target->state == SocketState::closed)
                return SysResult::of(-err::CONNREFUSED);
        }
        if (target->type != s.type)
            return SysResult::of(-err::PROTOTYPE);
        auto targets_peer = target->peer.lock();
        if (targets_peer && targets_peer != self_socket)
            return SysResult::of(-err::PERM);
        from = s.local.value_or(unnamed_local());
    } else {
        SockAddr to;
        if (out.to) {
            to = *out.to;
            if (i64 routed = route_to(s, to); routed != 0)
                return SysResult::of(routed);
        } else if (s.remote) {
            to = *s.remote;
        } else {
            return SysResult::of(-err::DESTADDRREQ);
        }
        if (out.data.total > (is_ipv4_mapped(to.ip) ? kMaxUdp4 : kMaxUdp6))
            return SysResult::of(-err::MSGSIZE);
        if (i64 bound = bind_ephemeral(m, self_socket); bound != 0)
            return SysResult::of(bound);
        from = local_source(s, to.ip);
        target = find_datagram_target(m, to, from);
        if (!target) {
            // Nobody bound there: the loopback's ICMP port unreachable
            // reaches a connected sender as ECONNREFUSED.
            if (s.remote) {
                s.error = -err::CONNREFUSED;
                ++s.generation;
                notify_files(m);
            }
            return SysResult::of(static_cast<i64>(out.data.total));
        }
        if (!inbox_has_room(*target, out.data.total))
            return SysResult::of(static_cast<i64>(out.data.total)); // UDP drops it
        from = seen_by(target->family, from);
    }
    if (out.data.total + kMessageOverhead > kInboxCapacity)
        return SysResult::of(-err::MSGSIZE);
    if (!inbox_has_room(*target, out.data.total)) {
        if (file.nonblock || flags.dontwait)
            return SysResult::of(-err::AGAIN);
        return wait_for(m, self, fd, SocketWaitFor::peer_room, target->id);
    }
    SocketMessage message;
    if (!gather(m, out.data, out.data.total, message.data))
        return SysResult::of(-err::FAULT);
    message.from = from;
    message.rights = std::move(out.rights);
    out.rights.clear();
    target->inbox_bytes += message.data.size() + kMessageOverhead;
    target->inbox.push_back(std::move(message));
    ++target->generation;
    notify_files(m);
    return SysResult::of(static_cast<i64>(out.data.total));
}

SysResult send_on(Process& m, Lwp& self, const SocketAbi& abi, u64 fd, Outgoing& out,
                  MsgFlags flags) {
    OpenFile* file = m.files().find(fd);
    i64 error = 0;
    if (socket_of(m, fd, error) == nullptr) {
        release_rights(m, out.rights);
        return SysResult::of(error);
    }
    flags.nosignal = flags.nosignal || file->socket->options.nosigpipe;
    if (!out.rights.empty() && file->socket->family != Family::local) {
        release_rights(m, out.rights);
        return SysResult::of(-err::INVAL);
    }
    SysResult result = file->socket->type == SocketType::stream
                           ? send_stream(m, self, fd, *file, out, flags)
                           : send_datagram(m, self, fd, *file, out, flags, abi);
    release_rights(m, out.rights); // not delivered: the references go
    return result;
}

// What a receive gives besides the bytes.
struct Received {
    std::optional<SockAddr> from; // none for TCP and an unnamed AF_UNIX sender
    std::vector<OpenFile> rights;
    bool truncated = false;
};

SysResult recv_stream(Process& m, Lwp& self, u64 fd, OpenFile& file, const Segments& into,
                      const MsgFlags& flags, Received& got) {
    Socket& s = *file.socket;
    bool tcp = s.family != Family::local;
    if (s.state == SocketState::listening)
        return SysResult::of(tcp ? -err::NOTCONN : -err::INVAL);
    bool nonblock = file.nonblock || flags.dontwait;
    if (s.state != SocketState::connected) {
        if (tcp)
            return SysResult::of(-err::NOTCONN);
        // A unix socket never connected waits for ever, as Linux's does.
        return nonblock ? SysResult::of(-err::AGAIN)
                        : wait_for(m, self, fd, SocketWaitFor::readable);
    }
    if (!tcp && s.remote && !is_unnamed(*s.remote))
        got.from = s.remote;
    if (into.total == 0)
        return SysResult::of(0);
    Pipe& rx = *s.rx;
    if (rx.data.empty()) {
        bool fin = rx.writers == 0;
        if (s.error != 0 && !(tcp && fin))
            return SysResult::of(take_error(s));
        if (fin || s.shut_read || s.reset)
            return SysResult::of(0);
        return nonblock ? SysResult::of(-err::AGAIN)
                        : wait_for(m, self, fd, SocketWaitFor::readable);
    }
    u64 n = std::min<u64>(into.total, rx.data.size());
    // Files passed with SCM_RIGHTS come with the first byte they were
    // sent with, and a read stops where another sendmsg's files begin.
    std::optional<std::size_t> rights_at;
    for (std::size_t i = 0; i < s.rx_rights.size(); ++i) {
        const StreamRights& rights = s.rx_rights[i];
        if (rights.begin > s.consumed && rights.begin < s.consumed + n)
            n = rights.begin - s.consumed;
        else if (rights.begin <= s.consumed && s.consumed < rights.end && !rights_at) {
            rights_at = i;
            n = std::min(n, rights.end - s.consumed);
        }
    }
    std::vector<u8> bytes(rx.data.begin(), rx.data.begin() + static_cast<std::ptrdiff_t>(n));
    if (!scatter(m, into, bytes.data(), n))
        return SysResult::of(-err::FAULT);
    if (!flags.peek) {
        rx.data.erase(rx.data.begin(), rx.data.begin() + static_cast<std::ptrdiff_t>(n));
        ++rx.generation;
        if (rights_at) {
            got.rights = std::move(s.rx_rights[*rights_at].files);
            s.rx_rights.erase(s.rx_rights.begin() + static_cast<std::ptrdiff_t>(*rights_at));
        }
        s.consumed += n;
        notify_files(m); // room for the writer
    }
    return SysResult::of(static_cast<i64>(n));
}

SysResult recv_datagram(Process& m, Lwp& self, u64 fd, OpenFile& file, const Segments& into,
                        const MsgFlags& flags, Received& got) {
    Socket& s = *file.socket;
    bool nonblock = file.nonblock || flags.dontwait;
    if (s.type == SocketType::seqpacket && s.state != SocketState::connected)
        return SysResult::of(-err::NOTCONN);
    if (s.inbox.empty()) {
        if (s.error != 0)
            return SysResult::of(take_error(s));
        if (s.shut_read)
            return SysResult::of(0);
        return nonblock ? SysResult::of(-err::AGAIN)
                        : wait_for(m, self, fd, SocketWaitFor::readable);
    }
    SocketMessage& message = s.inbox.front();
    u64 size = message.data.size();
    u64 n = std::min(into.total, size);
    if (!scatter(m, into, message.data.data(), n))
        return SysResult::of(-err::FAULT);
    if (!is_unnamed(message.from))
        got.from = message.from;
    got.truncated = n < size;
    if (!flags.peek) {
        got.rights = std::move(message.rights);
        s.inbox_bytes -= size + kMessageOverhead;
        s.inbox.pop_front();
        ++s.generation;
        notify_files(m); // room for senders waiting on this inbox
    }
    return SysResult::of(static_cast<i64>(flags.trunc ? size : n));
}

SysResult recv_on(Process& m, Lwp& self, u64 fd, const Segments& into, const MsgFlags& flags,
                  Received& got) {
    i64 error = 0;
    if (socket_of(m, fd, error) == nullptr)
        return SysResult::of(error);
    OpenFile& file = *m.files().find(fd);
    return file.socket->type == SocketType::stream
               ? recv_stream(m, self, fd, file, into, flags, got)
               : recv_datagram(m, self, fd, file, into, flags, got);
}

// ---- struct msghdr ----

struct MsghdrFields {
    u64 name = 0, namelen = 0, iov = 0, iovlen = 0, control = 0, controllen = 0, flags = 0;
};

u64 align_up(u64 value, u64 alignment) {
    return (value + alignment - 1) / alignment * alignment;
}

// Where each field of struct msghdr lies (natural alignment).
MsghdrFields msghdr_offsets(const SocketAbi& abi) {
    MsghdrFields at;
    u64 w = abi.word_size;
    at.name = 0;
    at.namelen = w;
    at.iov = align_up(at.namelen + 4, w);
    at.iovlen = at.iov + w;
    at.control = align_up(at.iovlen + abi.iovlen_size, w);
    at.controllen = at.control + w;
    at.flags = align_up(at.controllen + abi.controllen_size, 4);
    return at;
}

bool read_sized(Process& m, u64 address, u32 size, u64& value) {
    value = 0;
    if (size == 8)
        return m.memory().read_value(address, value);
    u32 small = 0;
    bool ok = m.memory().read_value(address, small);
    value = small;
    return ok;
}

bool write_sized(Process& m, u64 address, u32 size, u64 value) {
    return size == 8 ? m.memory().write_value(address, value)
                     : m.memory().write_value(address, static_cast<u32>(value));
}

struct Msghdr {
    u64 name = 0;
    u64 namelen = 0;
    u64 iov = 0;
    u64 iovlen = 0;
    u64 control = 0;
    u64 controllen = 0;
};

i64 read_msghdr(Process& m, const SocketAbi& abi, u64 msg, Msghdr& out) {
    MsghdrFields at = msghdr_offsets(abi);
    u32 w = abi.word_size;
    if (!read_sized(m, msg + at.name, w, out.name) ||
        !read_sized(m, msg + at.namelen, 4, out.namelen) ||
        !read_sized(m, msg + at.iov, w, out.iov) ||
        !read_sized(m, msg + at.iovlen, abi.iovlen_size, out.iovlen) ||
        !read_sized(m, msg + at.control, w, out.control) ||
        !read_sized(m, msg + at.controllen, abi.controllen_size, out.controllen))
        return -err::FAULT;
    return 0;
}

u64 cmsg_header(const SocketAbi& abi) {
    return align_up(abi.cmsg_len_size + 8, abi.cmsg_align);
}

// The files of the SCM_RIGHTS messages in a sendmsg's control data,
// shared; -errno for a malformed or unknown control message.
i64 read_rights(Process& m, const SocketAbi& abi, const Msghdr& msg, std::vector<OpenFile>& out) {
    u64 header = cmsg_header(abi);
    u64 at = 0;
    while (at + header <= msg.controllen) {
        u64 length = 0;
        i32 level = 0, type = 0;
        u64 base = msg.control + at;
        if (!read_sized(m, base, abi.cmsg_len_size, length) ||
            !m.memory().read_value(base + abi.cmsg_len_size, level) ||
            !m.memory().read_value(base + abi.cmsg_len_size + 4, type))
            return -err::FAULT;
        if (length < abi.cmsg_len_size + 8 || at + length > msg.controllen)
            return -err::INVAL;
        if (level == abi.sol_socket) {
            if (type != abi.scm_rights) {
                m.note_once(m.current().syscall.nr,
                            "sendmsg: control messages other than SCM_RIGHTS are refused "
                            "(EINVAL)");
                return -err::INVAL;
            }
            u64 count = (length - header) / 4;
            if (out.size() + count > kMaxRightsPerMessage)
                return -err::INVAL;
            Network& net = m.kernel().network();
            if (net.in_flight + count > Network::kMaxInFlight)
                return -err::TOOMANYREFS;
            for (u64 i = 0; i < count; ++i) {
                i32 fd = 0;
                if (!m.memory().read_value(base + header + i * 4, fd))
                    return -err::FAULT;
                OpenFile* file = fd < 0 ? nullptr : m.files().find(static_cast<u64>(fd));
                if (file == nullptr)
                    return -err::BADF;
                out.push_back(share(*file));
                ++net.in_flight;
            }
        }
        at += align_up(length, abi.cmsg_align);
    }
    return 0;
}

// Installs received files as fds and writes their SCM_RIGHTS message into
// the control buffer: the control bytes used; files that do not fit are
// closed and *truncated set, as Linux's scm_detach_fds does.
u64 deliver_rights(Process& m, const SocketAbi& abi, const Msghdr& msg,
                   std::vector<OpenFile>& files, bool cloexec, bool& truncated) {
    if (files.empty())
        return 0;
    Network& net = m.kernel().network();
    net.in_flight -= std::min<u64>(net.in_flight, files.size());
    u64 header = cmsg_header(abi);
    u64 fit = msg.controllen > header ? (msg.controllen - header) / 4 : 0;
    std::vector<i32> fds;
    for (std::size_t i = 0; i < files.size(); ++i) {
        int fd = m.files().lowest_free();
        if (i >= fit || !m.files().within_limit(static_cast<u64>(fd))) {
            release_file(m, files[i]);
            truncated = true;
            continue;
        }
        files[i].cloexec = cloexec;
        m.files().open[fd] = std::move(files[i]);
        fds.push_back(fd);
    }
    files.clear();
    if (fds.empty())
        return 0;
    u64 length = header + fds.size() * 4; // CMSG_LEN
    write_sized(m, msg.control, abi.cmsg_len_size, length);
    m.memory().write_value(msg.control + abi.cmsg_len_size, abi.sol_socket);
    m.memory().write_value(msg.control + abi.cmsg_len_size + 4, abi.scm_rights);
    m.memory().write(msg.control + header, fds.data(), fds.size() * 4);
    return std::min(align_up(length, abi.cmsg_align), msg.controllen);
}

} // namespace

SysResult socket_send(Process& m, Lwp& self, const SocketAbi& abi, u64 fd, u64 buffer, u64 length,
                      const MsgFlags& flags, u64 to_addr, u64 to_length) {
    Outgoing out;
    if (to_i64(length, m.word_size()) < 0)
        return SysResult::of(-err::INVAL);
    out.data = one_segment(buffer, length);
    out.one_buffer = out.data.total > 0;
    if (to_addr != 0) {
        SockAddr to;
        if (i64 error = read_sockaddr(m, abi, to_addr, to_length, to); error != 0)
            return SysResult::of(error);
        out.to = to;
    }
    return send_on(m, self, abi, fd, out, flags);
}

SysResult socket_recv(Process& m, Lwp& self, const SocketAbi& abi, u64 fd, u64 buffer, u64 length,
                      const MsgFlags& flags, u64 from_addr, u64 from_length) {
    if (to_i64(length, m.word_size()) < 0)
        return SysResult::of(-err::INVAL);
    Received got;
    SysResult result = recv_on(m, self, fd, one_segment(buffer, length), flags, got);
    land_rights(m, got.rights); // recv has no room for them: they are closed
    if (result.kind != SysResult::Kind::value || result.value < 0 || from_addr == 0)
        return result;
    if (got.from) {
        if (i64 error = write_sockaddr(m, abi, *got.from, from_addr, from_length); error != 0)
            return SysResult::of(error);
    } else if (!m.memory().write_value(from_length, u32{0})) {
        return SysResult::of(-err::FAULT); // TCP says nothing of its peer
    }
    return result;
}

SysResult socket_sendmsg(Process& m, Lwp& self, const SocketAbi& abi, u64 fd, u64 msg,
                         const MsgFlags& flags) {
    i64 error = 0;
    if (socket_of(m, fd, error) == nullptr)
        return SysResult::of(error);
    Msghdr header;
    if (i64 failed = read_msghdr(m, abi, msg, header); failed != 0)
        return SysResult::of(failed);
    Outgoing out;
    if (i64 failed = read_segments(m, header.iov, header.iovlen, out.data); failed != 0)
        return SysResult::of(failed);
    if (header.name != 0 && header.namelen != 0) {
        SockAddr to;
        if (i64 failed = read_sockaddr(m, abi, header.name, header.namelen, to); failed != 0)
            return SysResult::of(failed);
        out.to = to;
    }
    if (header.control != 0 && header.controllen != 0) {
        if (i64 failed = read_rights(m, abi, header, out.rights); failed != 0) {
            release_rights(m, out.rights);
            return SysResult::of(failed);
        }
    }
    return send_on(m, self, abi, fd, out, flags);
}

SysResult socket_recvmsg(Process& m, Lwp& self, const SocketAbi& abi, u64 fd, u64 msg,
                         const MsgFlags& flags) {
    i64 error = 0;
    if (socket_of(m, fd, error) == nullptr)
        return SysResult::of(error);
    Msghdr header;
    if (i64 failed = read_msghdr(m, abi, msg, header); failed != 0)
        return SysResult::of(failed);
    Segments into;
    if (i64 failed = read_segments(m, header.iov, header.iovlen, into); failed != 0)
        return SysResult::of(failed);
    Received got;
    SysResult result = recv_on(m, self, fd, into, flags, got);
    if (result.kind != SysResult::Kind::value || result.value < 0) {
        land_rights(m, got.rights);
        return result;
    }
    MsghdrFields at = msghdr_offsets(abi);
    u32 flags_out = got.truncated ? abi.msg_trunc : 0;
    bool control_cut = false;
    u64 control_used = deliver_rights(m, abi, header, got.rights, flags.cmsg_cloexec, control_cut);
    if (control_cut)
        flags_out |= abi.msg_ctrunc;
    u64 namelen = 0;
    if (got.from && header.name != 0) {
        std::string bytes = encode_sockaddr(abi, *got.from);
        u64 n = std::min<u64>(bytes.size(), header.namelen);
        if (n > 0 && !m.memory().write(header.name, bytes.data(), n))
            return SysResult::of(-err::FAULT);
        namelen = bytes.size();
    }
    if (!write_sized(m, msg + at.namelen, 4, namelen) ||
        !write_sized(m, msg + at.controllen, abi.controllen_size, control_used) ||
        !m.memory().write_value(msg + at.flags, flags_out))
        return SysResult::of(-err::FAULT);
    return result;
}

SysResult socket_writev(Process& m, Lwp& self, u64 fd, u64 iov, u64 count) {
    Outgoing out;
    if (i64 failed = read_segments(m, iov, count, out.data); failed != 0)
        return SysResult::of(failed == -err::MSGSIZE ? -err::INVAL : failed);
    return send_on(m, self, SocketAbi{}, fd, out, MsgFlags{});
}

SysResult socket_readv(Process& m, Lwp& self, u64 fd, u64 iov, u64 count) {
    Segments into;
    if (i64 failed = read_segments(m, iov, count, into); failed != 0)
        return SysResult::of(failed == -err::MSGSIZE ? -err::INVAL : failed);
    Received got;
    SysResult result = recv_on(m, self, fd, into, MsgFlags{}, got);
    land_rights(m, got.rights);
    return result;
}

} // namespace crossrt::kernel::posix
