// Sockets on a loopback network private to the run: AF_INET (127.0.0.0/8,
// INADDR_ANY meaning loopback), AF_INET6 (::1, ::, and IPv4-mapped
// addresses for dual-stack sockets) and AF_UNIX (paths in the run's tree,
// Linux's abstract names, socketpair). Nothing here touches a host socket:
// a connection is two bounded byte queues in kernel memory (the Pipe of
// files.h, so a blocking write waits for room as a pipe's does), a datagram
// socket a bounded queue of messages. A connect to a listening address
// completes at once into its backlog; a call that must wait (accept, a
// read, a connect to a full backlog) blocks its LWP, and notify_files
// makes it run again once its socket can answer (Process::retry), so the
// handler decides anew in its personality's numbering.
//
// The personalities decode their numbers (families, types, flags, levels
// and options) and call these; errors are -err::X. The structures guest
// memory holds (sockaddr, msghdr, cmsghdr) are laid out by SocketAbi
// (sockaddr.h).
#pragma once

#include "kernel/lwp.h"
#include "kernel/posix/files.h"
#include "kernel/posix/sockaddr.h"
#include "kernel/posix/syscall_table.h"
#include "kernel/types.h"

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace crossrt::kernel {
class Process;
}

namespace crossrt::kernel::posix {

enum class SocketType { stream, dgram, seqpacket, raw, other };

// What a connection's end may still do (shutdown, or the peer gone).
enum class SocketState { fresh, listening, connected, closed };

// A datagram (or a seqpacket record) waiting to be received.
struct SocketMessage {
    std::vector<u8> data;
    SockAddr from;
    std::vector<OpenFile> rights; // SCM_RIGHTS: the files it carries
};

// Files passed with SCM_RIGHTS on a stream: they arrive with the byte at
// `begin` of the stream, and a read that takes them stops at `end`.
struct StreamRights {
    u64 begin = 0;
    u64 end = 0;
    std::vector<OpenFile> files;
};

// The options the kernel acts on; the rest are remembered by the
// personality's (level, name) and read back as they were set.
struct SocketOptions {
    bool reuseaddr = false;
    bool reuseport = false;
    bool keepalive = false;
    bool broadcast = false;
    bool nodelay = false;
    bool v6only = false;
    bool nosigpipe = false; // NetBSD's SO_NOSIGPIPE: EPIPE without SIGPIPE
    bool linger = false;
    i32 linger_seconds = 0;
    i64 sndbuf = 0; // as set (0: the default), which the personality reports
    i64 rcvbuf = 0;
    std::map<std::pair<i64, i64>, std::vector<u8>> other;
};

struct Socket {
    u64 id = 0;  // creation order in the run
    int pid = 0; // the process that made it (SO_PEERCRED)
    Family family = Family::local;
    SocketType type = SocketType::stream;
    int protocol = 0;
    SocketState state = SocketState::fresh;
    std::optional<SockAddr> local;  // bound
    std::optional<SockAddr> remote; // connected
    SocketOptions options;
    i64 error = 0;            // SO_ERROR: the pending -errno, 0 for none
    bool shut_read = false;   // SHUT_RD, or the peer can send no more (unix)
    bool shut_write = false;  // SHUT_WR
    bool peer_closed = false; // the peer's last fd is closed
    bool reset = false;       // the connection was reset: writes get EPIPE
    // A non-blocking connect said EINPROGRESS: the next connect says 0 (as
    // Linux's, whose connection completes meanwhile), the ones after EISCONN.
    bool connect_reported = true;
    // stream: what this end reads (the peer writes it) and writes.
    std::shared_ptr<Pipe> rx;
    std::shared_ptr<Pipe> tx;
    u64 consumed = 0; // stream: bytes read from rx so far (SCM_RIGHTS' offsets)
    std::deque<StreamRights> rx_rights;
    // dgram and seqpacket: the messages to receive, what they hold
    // (counted with an overhead per message, so empty ones are bounded
    // too), and the connected peer sends go to.
    std::deque<SocketMessage> inbox;
    u64 inbox_bytes = 0;
    std::weak_ptr<Socket> peer;
    // listening: the connections made to it, not accepted yet.
    std::deque<std::shared_ptr<Socket>> backlog;
    u64 backlog_limit = 0;
    int fds = 0; // open fds (in every process) naming it
    // Bumped on every change a poller may wait for (edge-triggered epoll
    // and kqueue's EV_CLEAR report again only after one).
    u64 generation = 0;
};

// The run's network: which sockets are bound where, and the ephemeral
// port sequence (the same in every run: ports follow the program, not the
// host).
struct Network {
    // inet: by (protocol, port), the sockets bound there.
    std::map<std::pair<int, u16>, std::vector<std::weak_ptr<Socket>>> ports;
    std::map<u64, std::weak_ptr<Socket>> unix_paths; // by the socket node's inode
    std::map<std::string, std::weak_ptr<Socket>> unix_abstract;
    // Files in flight (sent with SCM_RIGHTS, not received yet), in the
    // whole run: past kMaxInFlight a send is ETOOMANYREFS, so that files
    // sent over their own sockets and forgotten cannot pile up.
    u64 in_flight = 0;
    static constexpr u64 kMaxInFlight = 4096;
    u16 next_port = kFirstEphemeralPort;
    u32 next_autobind = 0;
    u64 next_id = 1;
    static constexpr u16 kFirstEphemeralPort = 32768; // Linux's ip_local_port_range
    static constexpr u16 kLastEphemeralPort = 60999;
};

// What a blocked socket call waits for (Wait::count).
enum class SocketWaitFor : u64 { readable = 1, writable, acceptable, connectable, peer_room };

// The socket fd names: nullptr and -EBADF or -ENOTSOCK.
Socket* socket_of(Process& m, u64 fd, i64& error);

i64 socket_create(Process& m, Family family, SocketType type, int protocol, bool nonblock,
                  bool cloexec);
// socketpair: two connected AF_UNIX sockets, written to fds_out as ints.
i64 socket_pair(Process& m, Family family, SocketType type, int protocol, bool nonblock,
                bool cloexec, u64 fds_out);
i64 socket_bind(Process& m, u64 fd, const SockAddr& addr);
i64 socket_listen(Process& m, u64 fd, i64 backlog);
// accept/accept4: the new fd, -errno, or self waits for a connection.
// The peer's address goes to addr/addr_length (0: not asked for).
SysResult socket_accept(Process& m, Lwp& self, const SocketAbi& abi, u64 fd, u64 addr,
                        u64 addr_length, bool nonblock, bool cloexec);
// connect: 0, EINPROGRESS (a non-blocking TCP socket, connected already as
// Linux's would be a moment later), -errno, or self waits for room in a
// full backlog.
SysResult socket_connect(Process& m, Lwp& self, u64 fd, const SockAddr& addr);
i64 socket_name(Process& m, const SocketAbi& abi, u64 fd, bool peer, u64 addr, u64 addr_length);
// how: 0 SHUT_RD, 1 SHUT_WR, 2 SHUT_RDWR.
i64 socket_shutdown(Process& m, u64 fd, int how);

// What poll(2), epoll and kqueue see on a socket now (as Linux's
// tcp_poll, unix_poll and datagram_poll say it).
struct Readiness;
Readiness socket_readiness(const Socket& socket);
// The socket of the run with this id, wherever an fd names it (nullptr:
// none does any more).
Socket* find_socket(Process& m, u64 id);
// Room a datagram of `length` bytes needs in an inbox, and what one holds.
constexpr u64 kMessageOverhead = 256;
constexpr u64 kInboxCapacity = 212992; // Linux's default SO_RCVBUF
bool inbox_has_room(const Socket& socket, u64 length);

// The network's lookups (socket_io.cc sends datagrams with them): the
// AF_UNIX socket bound at a name (-ENOENT, -ECONNREFUSED, ...); where an
// inet packet to `to` goes on the loopback (0, -ENETUNREACH, ...); an
// ephemeral port for an unbound socket; the address its packets to `to`
// come from; the datagram socket a packet from `from` to `to` reaches
// (nullptr: none); an address as a socket of `family` sees it.
std::shared_ptr<Socket> find_socket_by_name(Process& m, const SockAddr& name, i64& error);
i64 route_to(const Socket& socket, SockAddr& to);
i64 bind_ephemeral(Process& m, const std::shared_ptr<Socket>& socket);
SockAddr local_source(const Socket& socket, const std::array<u8, 16>& to);
std::shared_ptr<Socket> find_datagram_target(Process& m, const SockAddr& to, const SockAddr& from);
SockAddr seen_by(Family family, SockAddr addr);

// Files in flight that nobody will receive: their references go.
void land_rights(Process& m, std::vector<OpenFile>& files);

// The fd's open file description went with its last fd: the peer sees
// EOF (or a reset), its names and port are free again.
void socket_release(Process& m, Socket& socket);
// Whether the call an LWP waits in (WaitKind::socket) can go on now.
bool socket_wait_over(Process& m, const Wait& wait);
// The file a stream socket writes into (a blocked write waits on it).
Pipe* socket_send_pipe(const OpenFile& file);

} // namespace crossrt::kernel::posix
