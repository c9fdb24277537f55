#include "kernel/posix/socket.h"

#include "kernel/kernel.h"
#include "kernel/posix/fd.h"
#include "kernel/posix/fs.h"
#include "kernel/posix/poll.h"
#include "kernel/process.h"

#include <algorithm>
#include <fmt/format.h>

namespace crossrt::kernel::posix {
namespace {

constexpr int kTcp = 6;
constexpr int kUdp = 17;
constexpr u16 kFirstUnprivilegedPort = 1024;
// listen(2)'s backlog is capped at somaxconn (Linux 6.1's 4096).
constexpr i64 kMaxBacklog = 4096;

bool is_inet(const Socket& s) {
    return s.family == Family::inet || s.family == Family::inet6;
}

// Which port table an inet socket's port belongs to.
int port_protocol(const Socket& s) {
    return s.type == SocketType::stream ? kTcp : kUdp;
}

Network& network_of(Process& m) {
    return m.kernel().network();
}

void changed(Socket& s) {
    ++s.generation;
}

std::shared_ptr<Socket> new_socket(Process& m, Family family, SocketType type, int protocol) {
    auto s = std::make_shared<Socket>();
    s->id = network_of(m).next_id++;
    s->pid = m.pid();
    s->family = family;
    s->type = type;
    s->protocol = protocol;
    return s;
}

i64 install(Process& m, std::shared_ptr<Socket> socket, bool nonblock, bool cloexec) {
    int fd = m.files().lowest_free();
    if (!m.files().within_limit(static_cast<u64>(fd)))
        return -err::MFILE;
    OpenFile file;
    file.kind = FileKind::socket;
    file.socket = std::move(socket);
    file.socket->fds += 1;
    file.nonblock = nonblock;
    file.cloexec = cloexec;
    m.files().open[fd] = std::move(file);
    return fd;
}

// ---- inet addresses ----

// Whether a socket bound at `bound` (its family, v6only) receives what is
// sent to `to` (an address in IPv6 form, IPv4 as IPv4-mapped).
bool covers(const Socket& s, const SockAddr& bound, const std::array<u8, 16>& to) {
    bool v4 = is_ipv4_mapped(to);
    if (s.family == Family::inet || is_ipv4_mapped(bound.ip))
        return v4 && (is_unspecified(bound.ip) || bound.ip == to);
    if (is_unspecified(bound.ip))
        return !v4 || !s.options.v6only; // ::, dual-stack unless IPV6_V6ONLY
    return bound.ip == to;
}

// Whether two bindings of one port overlap (the same address, or a
// wildcard taking the other's).
bool overlaps(const Socket& a, const SockAddr& at, const Socket& b, const SockAddr& bt) {
    auto v4_reach = [](const Socket& s, const SockAddr& bound) {
        if (s.family == Family::inet)
            return true;
        if (is_ipv4_mapped(bound.ip))
            return true;
        return is_unspecified(bound.ip) && !s.options.v6only;
    };
    auto v6_reach = [](const Socket& s, const SockAddr& bound) {
        return s.family == Family::inet6 && !is_ipv4_mapped(bound.ip);
    };
    bool wildcard_a = is_unspecified(at.ip), wildcard_b = is_unspecified(bt.ip);
    if (v4_reach(a, at) && v4_reach(b, bt)) {
        // Compare as IPv4: a v6 wildcard reaching v4 is 0.0.0.0.
        auto v4 = [](const SockAddr& x) {
            return is_unspecified(x.ip) ? ipv4_mapped(0, 0, 0, 0) : x.ip;
        };
        if (wildcard_a || wildcard_b || v4(at) == v4(bt))
            return true;
    }
    if (v6_reach(a, at) && v6_reach(b, bt))
        return wildcard_a || wildcard_b || at.ip == bt.ip;
    return false;
}

// An address a socket of this family may bind: 0 or -errno.
i64 check_local_address(const Socket& s, const SockAddr& addr) {
    if (s.family == Family::inet6 && is_ipv4_mapped(addr.ip) && s.options.v6only)
        return -err::INVAL;
    if (is_unspecified(addr.ip) || is_ipv4_loopback(addr.ip) || is_ipv6_loopback(addr.ip))
        return 0;
    return -err::ADDRNOTAVAIL;
}

std::vector<std::shared_ptr<Socket>> bound_at(Network& net, int protocol, u16 port) {
    std::vector<std::shared_ptr<Socket>> found;
    auto it = net.ports.find({protocol, port});
    if (it == net.ports.end())
        return found;
    for (const auto& weak : it->second) {
        if (auto s = weak.lock())
            found.push_back(std::move(s));
    }
    return found;
}

// Whether s may take port at addr next to what is bound there.
bool port_free(Network& net, const Socket& s, const SockAddr& addr, u16 port) {
    for (const auto& other : bound_at(net, port_protocol(s), port)) {
        if (!overlaps(s, addr, *other, *other->local))
            continue;
        bool reuse = s.options.reuseaddr && other->options.reuseaddr &&
                     (s.type != SocketType::stream || other->state != SocketState::listening);
        bool share = s.options.reuseport && other->options.reuseport;
        if (!reuse && !share)
            return false;
    }
    return true;
}

i64 take_port(Process& m, Socket& s, SockAddr addr) {
    Network& net = network_of(m);
    if (addr.port == 0) {
        // The next free ephemeral port, in one sequence for the run.
        u32 range = Network::kLastEphemeralPort - Network::kFirstEphemeralPort + 1;
        bool found = false;
        for (u32 tried = 0; tried < range && !found; ++tried) {
            u16 port = net.next_port;
            net.next_port = port == Network::kLastEphemeralPort ? Network::kFirstEphemeralPort
                                                                : static_cast<u16>(port + 1);
            if (port_free(net, s, addr, port)) {
                addr.port = port;
                found = true;
            }
        }
        if (!found)
            return -err::ADDRINUSE;
    } else if (addr.port < kFirstUnprivilegedPort) {
        return -err::ACCES; // the guest is no root
    } else if (!port_free(net, s, addr, addr.port)) {
        return -err::ADDRINUSE;
    }
    addr.family = s.family;
    s.local = addr;
    auto& list = net.ports[{port_protocol(s), addr.port}];
    std::erase_if(list, [](const auto& weak) { return weak.expired(); });
    return 0;
}

void register_port(Process& m, const std::shared_ptr<Socket>& s) {
    network_of(m).ports[{port_protocol(*s), s->local->port}].push_back(s);
}

i64 bind_inet(Process& m, const std::shared_ptr<Socket>& s, SockAddr addr) {
    if (addr.family == Family::unspec && s->family == Family::inet && is_unspecified(addr.ip))
        addr.family = Family::inet; // Linux takes AF_UNSPEC with INADDR_ANY as AF_INET
    if (addr.family != s->family)
        return s->family == Family::inet6 ? -err::INVAL : -err::AFNOSUPPORT;
    if (s->local)
        return -err::INVAL;
    if (i64 error = check_local_address(*s, addr); error != 0)
        return error;
    if (i64 error = take_port(m, *s, addr); error != 0)
        return error;
    register_port(m, s);
    return 0;
}

// The socket an inet packet to `to` reaches: the best match (an exact
// address over a wildcard, the earlier bound first), listening ones only
// for a stream.
std::shared_ptr<Socket> find_inet(Process& m, int protocol, const SockAddr& to,
                                  const SockAddr* from) {
    std::shared_ptr<Socket> best;
    int best_score = -1;
    for (const auto& s : bound_at(network_of(m), protocol, to.port)) {
        if (protocol == kTcp && s->state != SocketState::listening)
            continue;
        if (!covers(*s, *s->local, to.ip))
            continue;
        int score = is_unspecified(s->local->ip) ? 1 : 2;
        // A connected datagram socket takes packets from its peer only.
        if (s->remote && protocol == kUdp) {
            if (from == nullptr || s->remote->port != from->port ||
                seen_by(Family::inet6, *s->remote).ip != seen_by(Family::inet6, *from).ip)
                continue;
            score += 2;
        }
        if (score > best_score) {
            best = s;
            best_score = score;
        }
    }
    return best;
}

// ---- AF_UNIX names ----

i64 bind_local(Process& m, const std::shared_ptr<Socket>& s, SockAddr addr) {
    if (addr.family != Family::local)
        return -err::INVAL;
    if (s->local)
        return -err::INVAL;
    Network& net = network_of(m);
    if (!addr.abstract && addr.path.empty()) {
        // Linux's autobind: an abstract name of five hex digits.
        addr.abstract = true;
        do {
            addr.path = fmt::format("{:05x}", net.next_autobind++ & 0xfffff);
        } while (net.unix_abstract.contains(addr.path));
    }
    if (addr.abstract) {
        if (net.unix_abstract.contains(addr.path))
            return -err::ADDRINUSE;
        net.unix_abstract[addr.path] = s;
    } else {
        i64 error = 0;
        NodePtr node = make_socket_node(m, addr.path, error);
        if (!node)
            return error;
        net.unix_paths[node->ino] = s;
    }
    s->local = addr;
    return 0;
}

void unbind(Process& m, const Socket& s) {
    Network& net = network_of(m);
    if (!s.local)
        return;
    if (s.family == Family::local) {
        if (s.local->abstract)
            net.unix_abstract.erase(s.local->path);
        else
            std::erase_if(net.unix_paths, [&](const auto& entry) {
                auto bound = entry.second.lock();
                return !bound || bound.get() == &s;
            });
        return;
    }
    auto it = net.ports.find({port_protocol(s), s.local->port});
    if (it == net.ports.end())
        return;
    std::erase_if(it->second, [&](const auto& weak) {
        auto bound = weak.lock();
        return !bound || bound.get() == &s;
    });
    if (it->second.empty())
        net.ports.erase(it);
}

// ---- connections ----

// Joins a client and a new server-side socket with two byte queues (or,
// for seqpacket, as each other's peer).
void join(const std::shared_ptr<Socket>& a, const std::shared_ptr<Socket>& b) {
    if (a->type == SocketType::stream) {
        auto ab = std::make_shared<Pipe>();
        auto ba = std::make_shared<Pipe>();
        ab->readers = ab->writers = ba->readers = ba->writers = 1;
        a->tx = b->rx = ab;
        a->rx = b->tx = ba;
    }
    a->peer = b;
    b->peer = a;
    a->state = b->state = SocketState::connected;
    changed(*a);
    changed(*b);
}

u64 backlog_room(const Socket& listener) {
    // As Linux: full once it holds more than the backlog.
    return listener.backlog.size() > listener.backlog_limit ? 0 : 1;
}

i64 connect_stream(Process& m, const std::shared_ptr<Socket>& s, SockAddr to,
                   std::shared_ptr<Socket>& listener) {
    i64 error = 0;
    if (s->family == Family::local) {
        if (to.family != Family::local)
            return -err::INVAL;
        listener = find_socket_by_name(m, to, error);
        if (!listener)
            return error;
        if (listener->type != s->type)
            return -err::PROTOTYPE;
        if (listener->state != SocketState::listening)
            return -err::CONNREFUSED;
    } else {
        if (i64 routed = route_to(*s, to); routed != 0)
            return routed;
        listener = find_inet(m, kTcp, to, nullptr);
        if (!listener)
            return -err::CONNREFUSED;
    }
    if (backlog_room(*listener) == 0)
        return -err::AGAIN;
    if (is_inet(*s)) {
        if (i64 bound = bind_ephemeral(m, s); bound != 0)
            return bound;
        // The wildcard a client is bound to becomes the source address.
        s->local = local_source(*s, to.ip);
    }
    auto server = new_socket(m, listener->family, listener->type, listener->protocol);
    server->options = listener->options;
    server->options.other.clear();
    if (is_inet(*s)) {
        SockAddr local = *listener->local;
        local.ip = to.ip;
        server->local = seen_by(listener->family, local);
        server->remote = seen_by(listener->family, *s->local);
        s->remote = seen_by(s->family, to);
        register_port(m, server);
    } else {
        server->local = listener->local;
        server->remote = s->local.value_or(unnamed_local());
        s->remote = listener->local;
    }
    join(s, server);
    listener->backlog.push_back(server);
    changed(*listener);
    return 0;
}

// A datagram socket's connect: its peer from now on (AF_UNSPEC: none).
i64 connect_dgram(Process& m, const std::shared_ptr<Socket>& s, SockAddr to) {
    if (to.family == Family::unspec) {
        s->remote.reset();
        s->peer.reset();
        changed(*s);
        return 0;
    }
    if (s->family == Family::local) {
        if (to.family != Family::local)
            return -err::INVAL;
        i64 error = 0;
        auto other = find_socket_by_name(m, to, error);
        if (!other)
            return error;
        if (other->type != s->type)
            return -err::PROTOTYPE;
        s->peer = other;
        s->remote = other->local;
        return 0;
    }
    if (i64 routed = route_to(*s, to); routed != 0)
        return routed;
    if (i64 bound = bind_ephemeral(m, s); bound != 0)
        return bound;
    s->local = local_source(*s, to.ip);
    s->remote = seen_by(s->family, to);
    changed(*s);
    return 0;
}

// The peer of a connection lost its last fd: `abortive` when it left
// data unread (or lingered for 0 s), which resets the connection.
void peer_gone(Socket& s, bool abortive) {
    s.peer_closed = true;
    if (abortive) {
        s.error = -err::CONNRESET;
        s.reset = true;
    }
    if (s.family == Family::local)
        s.shut_read = s.shut_write = true; // a unix peer's end shuts both ways at once
    changed(s);
}

void release_messages(Process& m, std::deque<SocketMessage>& messages) {
    for (auto& message : messages)
        land_rights(m, message.rights);
    messages.clear();
}

} // namespace

// Where a packet to `to` goes on the loopback: the wildcard means this
// host's loopback address, anything else off the loopback has no route.
i64 route_to(const Socket& s, SockAddr& to) {
    if (to.family == Family::unspec)
        return -err::AFNOSUPPORT;
    if (to.family != s.family)
        return s.family == Family::inet6 ? -err::INVAL : -err::AFNOSUPPORT;
    if (s.family == Family::inet6 && is_ipv4_mapped(to.ip) && s.options.v6only)
        return -err::NETUNREACH;
    if (is_unspecified(to.ip))
        to.ip = is_ipv4_mapped(to.ip) || s.family == Family::inet ? ipv4_mapped(127, 0, 0, 1)
                                                                  : std::array<u8, 16>{};
    if (is_unspecified(to.ip))
        to.ip[15] = 1; // :: means ::1
    if (!is_ipv4_loopback(to.ip) && !is_ipv6_loopback(to.ip))
        return -err::NETUNREACH;
    return 0;
}

// The address a socket's packets to `to` come from: its bound address,
// or for a wildcard one the loopback address of to's side.
SockAddr local_source(const Socket& s, const std::array<u8, 16>& to) {
    SockAddr from = *s.local;
    if (is_unspecified(from.ip)) {
        if (is_ipv4_mapped(to))
            from.ip = ipv4_mapped(127, 0, 0, 1);
        else {
            from.ip = {};
            from.ip[15] = 1;
        }
    }
    return from;
}

// An address as a socket of `family` sees it: an IPv4 peer of an IPv6
// socket is IPv4-mapped, an IPv6 socket's mapped address is IPv4 to an
// IPv4 socket.
SockAddr seen_by(Family family, SockAddr addr) {
    if (addr.family == Family::inet || addr.family == Family::inet6)
        addr.family = family;
    if (family == Family::inet) {
        addr.flowinfo = 0;
        addr.scope_id = 0;
    }
    return addr;
}

std::shared_ptr<Socket> find_socket_by_name(Process& m, const SockAddr& to, i64& error) {
    Network& net = network_of(m);
    std::shared_ptr<Socket> found;
    if (to.abstract) {
        auto it = net.unix_abstract.find(to.path);
        if (it != net.unix_abstract.end())
            found = it->second.lock();
    } else {
        if (to.path.empty()) {
            error = -err::INVAL;
            return nullptr;
        }
        NodePtr node = socket_node(m, to.path, error);
        if (!node)
            return nullptr;
        auto it = net.unix_paths.find(node->ino);
        if (it != net.unix_paths.end())
            found = it->second.lock();
    }
    error = found ? 0 : -err::CONNREFUSED;
    return found;
}

// An unbound socket gets an ephemeral port on the wildcard address, as a
// connect or a first send binds it.
i64 bind_ephemeral(Process& m, const std::shared_ptr<Socket>& s) {
    if (s->local)
        return 0;
    SockAddr any;
    any.family = s->family;
    any.ip = s->family == Family::inet ? ipv4_mapped(0, 0, 0, 0) : std::array<u8, 16>{};
    if (i64 error = take_port(m, *s, any); error != 0)
        return error;
    register_port(m, s);
    return 0;
}

std::shared_ptr<Socket> find_datagram_target(Process& m, const SockAddr& to, const SockAddr& from) {
    return find_inet(m, kUdp, to, &from);
}

Socket* socket_of(Process& m, u64 fd, i64& error) {
    OpenFile* file = m.files().find(fd);
    if (file == nullptr) {
        error = -err::BADF;
        return nullptr;
    }
    if (file->kind != FileKind::socket) {
        error = -err::NOTSOCK;
        return nullptr;
    }
    error = 0;
    return file->socket.get();
}

namespace {

std::shared_ptr<Socket> shared_socket_of(Process& m, u64 fd, i64& error) {
    Socket* s = socket_of(m, fd, error);
    return s == nullptr ? nullptr : m.files().find(fd)->socket;
}

// socket(2)'s checks: the protocol a family and type take.
i64 check_kind(Family family, SocketType& type, int protocol) {
    switch (family) {
    case Family::local:
        if (protocol != 0 && protocol != 1)
            return -err::PROTONOSUPPORT;
        if (type == SocketType::raw)
            type = SocketType::dgram; // as Linux's unix_create
        return type == SocketType::other ? -err::SOCKTNOSUPPORT : 0;
    case Family::inet:
    case Family::inet6:
        if (type == SocketType::raw)
            return -err::PERM; // CAP_NET_RAW, which the guest has not
        if (type == SocketType::stream)
            return protocol == 0 || protocol == kTcp ? 0 : -err::PROTONOSUPPORT;
        if (type == SocketType::dgram)
            return protocol == 0 || protocol == kUdp ? 0 : -err::PROTONOSUPPORT;
        return -err::SOCKTNOSUPPORT;
    default:
        return -err::AFNOSUPPORT;
    }
}

} // namespace

i64 socket_create(Process& m, Family family, SocketType type, int protocol, bool nonblock,
                  bool cloexec) {
    if (i64 error = check_kind(family, type, protocol); error != 0)
        return error;
    if (family != Family::local && protocol == 0)
        protocol = type == SocketType::stream ? kTcp : kUdp;
    return install(m, new_socket(m, family, type, protocol), nonblock, cloexec);
}

i64 socket_pair(Process& m, Family family, SocketType type, int protocol, bool nonblock,
                bool cloexec, u64 fds_out) {
    if (family != Family::local)
        return family == Family::inet || family == Family::inet6 ? -err::OPNOTSUPP
                                                                 : -err::AFNOSUPPORT;
    if (i64 error = check_kind(family, type, protocol); error != 0)
        return error;
    Files& files = m.files();
    int first = files.lowest_free();
    int second = files.lowest_free_from(first + 1);
    if (!files.within_limit(static_cast<u64>(second)))
        return -err::MFILE;
    if (!m.memory().write_value(fds_out, static_cast<u32>(first)) ||
        !m.memory().write_value(fds_out + 4, static_cast<u32>(second)))
        return -err::FAULT;
    auto a = new_socket(m, family, type, protocol);
    auto b = new_socket(m, family, type, protocol);
    // Both unnamed: getsockname and getpeername say AF_UNIX only.
    a->remote = unnamed_local();
    b->remote = unnamed_local();
    if (type == SocketType::dgram) {
        a->peer = b;
        b->peer = a;
    } else {
        join(a, b);
    }
    install(m, a, nonblock, cloexec);
    install(m, b, nonblock, cloexec);
    return 0;
}

i64 socket_bind(Process& m, u64 fd, const SockAddr& addr) {
    i64 error = 0;
    auto s = shared_socket_of(m, fd, error);
    if (!s)
        return error;
    if (s->family == Family::local)
        return bind_local(m, s, addr);
    return bind_inet(m, s, addr);
}

i64 socket_listen(Process& m, u64 fd, i64 backlog) {
    i64 error = 0;
    auto s = shared_socket_of(m, fd, error);
    if (!s)
        return error;
    if (s->type != SocketType::stream && s->type != SocketType::seqpacket)
        return -err::OPNOTSUPP;
    if (s->state == SocketState::connected || s->state == SocketState::closed)
        return -err::INVAL;
    if (!s->local) {
        if (s->family == Family::local)
            return -err::INVAL; // no listening on an unbound unix socket
        if (i64 bound = bind_ephemeral(m, s); bound != 0)
            return bound;
    }
    s->backlog_limit =
        static_cast<u64>(backlog < 0 || backlog > kMaxBacklog ? kMaxBacklog : backlog);
    s->state = SocketState::listening;
    changed(*s);
    notify_files(m); // connects waiting for room may find some
    return 0;
}

SysResult socket_accept(Process& m, Lwp& self, const SocketAbi& abi, u64 fd, u64 addr,
                        u64 addr_length, bool nonblock, bool cloexec) {
    i64 error = 0;
    OpenFile* file = m.files().find(fd);
    Socket* s = socket_of(m, fd, error);
    if (s == nullptr)
        return SysResult::of(error);
    if (s->type != SocketType::stream && s->type != SocketType::seqpacket)
        return SysResult::of(-err::OPNOTSUPP);
    if (s->state != SocketState::listening)
        return SysResult::of(-err::INVAL);
    if (s->backlog.empty()) {
        if (file->nonblock)
            return SysResult::of(-err::AGAIN);
        Wait wait;
        wait.kind = WaitKind::socket;
        wait.fd = static_cast<int>(fd);
        wait.count = static_cast<u64>(SocketWaitFor::acceptable);
        wait.restartable = true;
        m.block(self, wait);
        return SysResult::blocked();
    }
    std::shared_ptr<Socket> accepted = s->backlog.front();
    if (!m.files().within_limit(static_cast<u64>(m.files().lowest_free())))
        return SysResult::of(-err::MFILE);
    s->backlog.pop_front();
    changed(*s);
    i64 new_fd = install(m, accepted, nonblock, cloexec);
    if (addr != 0) {
        if (i64 failed = write_sockaddr(m, abi, *accepted->remote, addr, addr_length);
            failed != 0) {
            close(m, static_cast<u64>(new_fd));
            return SysResult::of(failed);
        }
    }
    notify_files(m); // connects waiting for room in the backlog
    return SysResult::of(new_fd);
}

SysResult socket_connect(Process& m, Lwp& self, u64 fd, const SockAddr& addr) {
    i64 error = 0;
    OpenFile* file = m.files().find(fd);
    auto s = shared_socket_of(m, fd, error);
    if (!s)
        return SysResult::of(error);
    if (s->type == SocketType::dgram) {
        i64 result = connect_dgram(m, s, addr);
        notify_files(m);
        return SysResult::of(result);
    }
    if (s->state == SocketState::connected && !s->connect_reported) {
        s->connect_reported = true;
        return SysResult::of(0);
    }
    if (s->state == SocketState::connected || s->state == SocketState::closed)
        return SysResult::of(-err::ISCONN);
    if (s->state == SocketState::listening)
        return SysResult::of(s->family == Family::local ? -err::INVAL : -err::ISCONN);
    std::shared_ptr<Socket> listener;
    i64 result = connect_stream(m, s, addr, listener);
    if (result == -err::AGAIN && !file->nonblock) {
        // A full backlog: wait until an accept makes room.
        Wait wait;
        wait.kind = WaitKind::socket;
        wait.fd = static_cast<int>(fd);
        wait.count = static_cast<u64>(SocketWaitFor::connectable);
        wait.address = listener->id;
        wait.restartable = true;
        m.block(self, wait);
        return SysResult::blocked();
    }
    if (result != 0)
        return SysResult::of(result);
    m.trace().line(m.total_insns(), "socket {} connects to socket {}", s->id, listener->id);
    notify_files(m);
    // Linux's non-blocking TCP connect says EINPROGRESS even on the
    // loopback; the socket is writable (connected) by the time anyone asks.
    if (file->nonblock && is_inet(*s)) {
        s->connect_reported = false;
        return SysResult::of(-err::INPROGRESS);
    }
    return SysResult::of(0);
}

i64 socket_name(Process& m, const SocketAbi& abi, u64 fd, bool peer, u64 addr, u64 addr_length) {
    i64 error = 0;
    Socket* s = socket_of(m, fd, error);
    if (s == nullptr)
        return error;
    SockAddr name;
    if (peer) {
        if (!s->remote || (s->type != SocketType::dgram && s->state != SocketState::connected))
            return -err::NOTCONN;
        name = *s->remote;
    } else if (s->local) {
        name = *s->local;
    } else {
        // Unbound: the family's wildcard, port 0.
        name.family = s->family;
        if (s->family == Family::inet)
            name.ip = ipv4_mapped(0, 0, 0, 0);
    }
    if (addr_length == 0)
        return -err::FAULT;
    return write_sockaddr(m, abi, name, addr, addr_length);
}

i64 socket_shutdown(Process& m, u64 fd, int how) {
    i64 error = 0;
    Socket* s = socket_of(m, fd, error);
    if (s == nullptr)
        return error;
    if (how < 0 || how > 2)
        return -err::INVAL;
    if (s->state != SocketState::connected && !(s->type == SocketType::dgram && s->remote))
        return -err::NOTCONN;
    bool read = how != 1, write = how != 0;
    auto peer = s->peer.lock();
    if (read) {
        s->shut_read = true;
        // A unix peer can send no more; a TCP one does not learn of it.
        if (s->family == Family::local && peer) {
            peer->shut_write = true;
            changed(*peer);
        }
    }
    if (write) {
        s->shut_write = true;
        if (s->tx) {
            s->tx->writers = 0; // the peer reads to the end, then EOF
            ++s->tx->generation;
        }
        if (peer && s->type == SocketType::seqpacket) {
            peer->shut_read = true;
            changed(*peer);
        }
    }
    changed(*s);
    notify_files(m);
    return 0;
}

void socket_release(Process& m, Socket& s) {
    unbind(m, s);
    auto peer = s.peer.lock();
    if (s.state == SocketState::listening) {
        // The connections nobody accepted are reset.
        for (auto& pending : s.backlog) {
            pending->options.linger = true;
            pending->options.linger_seconds = 0;
            socket_release(m, *pending);
        }
        s.backlog.clear();
    }
    if (s.type == SocketType::stream && s.state == SocketState::connected) {
        bool abortive = !s.rx->data.empty() || (s.options.linger && s.options.linger_seconds == 0);
        s.rx->readers = 0;
        if (!abortive)
            s.tx->writers = 0; // the peer reads to the end, then EOF (a reset: ECONNRESET)
        ++s.rx->generation;
        ++s.tx->generation;
        if (peer)
            peer_gone(*peer, abortive);
    } else if (s.type == SocketType::seqpacket && s.state == SocketState::connected && peer) {
        peer_gone(*peer, !s.inbox.empty());
    }
    for (auto& rights : s.rx_rights)
        land_rights(m, rights.files);
    s.rx_rights.clear();
    release_messages(m, s.inbox);
    s.inbox_bytes = 0;
    s.state = SocketState::closed;
    s.peer.reset();
    changed(s);
    notify_files(m);
}

Pipe* socket_send_pipe(const OpenFile& file) {
    return file.kind == FileKind::socket && file.socket->tx ? file.socket->tx.get() : nullptr;
}

bool socket_wait_over(Process& m, const Wait& wait) {
    OpenFile* file = m.files().find(static_cast<u64>(wait.fd));
    if (file == nullptr || file->kind != FileKind::socket)
        return true; // closed meanwhile: the call says so
    const Socket& s = *file->socket;
    bool connected = s.state == SocketState::connected;
    switch (static_cast<SocketWaitFor>(wait.count)) {
    case SocketWaitFor::acceptable:
        return !s.backlog.empty() || s.state != SocketState::listening;
    case SocketWaitFor::readable:
        if (s.error != 0 || s.shut_read)
            return true;
        if (s.type == SocketType::stream) {
            if (!connected)
                return s.family != Family::local; // a unix one waits for ever
            return !s.rx->data.empty() || s.rx->writers == 0 || s.reset;
        }
        return !s.inbox.empty() || (s.type == SocketType::seqpacket && !connected);
    case SocketWaitFor::writable: {
        Readiness now = socket_readiness(s);
        return now.events.out || now.events.err;
    }
    case SocketWaitFor::connectable: {
        const Socket* listener = find_socket(m, wait.address);
        // Gone, or no listener any more: the call is refused now.
        return listener == nullptr || listener->state != SocketState::listening ||
               backlog_room(*listener) > 0;
    }
    case SocketWaitFor::peer_room: {
        const Socket* target = find_socket(m, wait.address);
        return target == nullptr || target->state == SocketState::closed ||
               inbox_has_room(*target, 0) || s.error != 0;
    }
    }
    return true;
}

void land_rights(Process& m, std::vector<OpenFile>& files) {
    Network& net = network_of(m);
    net.in_flight -= std::min<u64>(net.in_flight, files.size());
    for (auto& file : files)
        release_file(m, file);
    files.clear();
}

Socket* find_socket(Process& m, u64 id) {
    for (const auto& process : m.kernel().processes()) {
        for (const auto& [fd, file] : process->files().open) {
            if (file.kind == FileKind::socket && file.socket->id == id)
                return file.socket.get();
        }
    }
    return nullptr;
}

bool inbox_has_room(const Socket& socket, u64 length) {
    return socket.inbox_bytes + length + kMessageOverhead <= kInboxCapacity;
}

Readiness socket_readiness(const Socket& s) {
    Readiness r;
    r.socket = true;
    r.generation = s.generation + (s.rx ? s.rx->generation : 0) + (s.tx ? s.tx->generation : 0);
    PollEvents& e = r.events;
    e.err = s.error != 0;
    if (s.state == SocketState::listening) {
        e.in = !s.backlog.empty();
        r.bytes = s.backlog.size();
        return r;
    }
    bool connected = s.state == SocketState::connected;
    if (s.type == SocketType::dgram || (s.type == SocketType::seqpacket && connected)) {
        bool receive_shut = s.shut_read;
        r.cant_send = s.shut_write;
        for (const auto& message : s.inbox)
            r.bytes += message.data.size();
        e.in = !s.inbox.empty() || receive_shut;
        e.rdhup = receive_shut;
        e.hup = receive_shut && r.cant_send;
        auto peer = s.peer.lock();
        r.room = !peer || inbox_has_room(*peer, 0) ? kInboxCapacity - s.inbox_bytes : 0;
        e.out = r.room > 0 || r.cant_send;
        r.send_ready = e.out;
        return r;
    }
    if (!connected || !s.rx) {
        // Not connected (yet, or any more): hung up, and a write would
        // not block (it fails).
        e.hup = true;
        e.out = true;
        return r;
    }
    bool receive_shut = s.shut_read || s.rx->writers == 0 || s.reset;
    r.cant_send = s.shut_write || s.reset || s.tx->readers == 0 ||
                  (s.family == Family::local && s.peer_closed);
    r.bytes = s.rx->data.size();
    r.room = kPipeCapacity - std::min(kPipeCapacity, s.tx->data.size());
    e.in = !s.rx->data.empty() || receive_shut;
    e.rdhup = receive_shut;
    // TCP's peer that closed gracefully takes one more write (which resets
    // the connection); a unix peer's close shuts both ways at once.
    bool send_shut = s.shut_write || s.reset || (s.family == Family::local && s.peer_closed);
    e.hup = receive_shut && send_shut;
    e.out = send_shut || r.room > 0;
    r.send_ready = r.room > 0 && !r.cant_send;
    return r;
}

} // namespace crossrt::kernel::posix
