#include "kernel/posix/socket_options.h"

#include "kernel/posix/poll.h"

namespace crossrt::kernel::posix {

i64 set_socket_option(Process& m, u64 fd, SocketOption option, const SocketOptionValue& value) {
    i64 error = 0;
    Socket* s = socket_of(m, fd, error);
    if (s == nullptr)
        return error;
    SocketOptions& o = s->options;
    bool on = value.number != 0;
    switch (option) {
    case SocketOption::reuseaddr:
        o.reuseaddr = on;
        return 0;
    case SocketOption::reuseport:
        o.reuseport = on;
        return 0;
    case SocketOption::keepalive:
        o.keepalive = on;
        return 0;
    case SocketOption::broadcast:
        o.broadcast = on;
        return 0;
    case SocketOption::nodelay:
        if (s->family == Family::local)
            return -err::OPNOTSUPP;
        o.nodelay = on;
        return 0;
    case SocketOption::v6only:
        if (s->family != Family::inet6)
            return -err::NOPROTOOPT;
        if (s->local)
            return -err::INVAL; // bound already: the choice is made
        o.v6only = on;
        return 0;
    case SocketOption::nosigpipe:
        o.nosigpipe = on;
        return 0;
    case SocketOption::linger:
        o.linger = value.linger_on;
        o.linger_seconds = value.linger_seconds;
        return 0;
    case SocketOption::sndbuf:
        o.sndbuf = value.number;
        return 0;
    case SocketOption::rcvbuf:
        o.rcvbuf = value.number;
        return 0;
    case SocketOption::error:
    case SocketOption::type:
    case SocketOption::acceptconn:
    case SocketOption::domain:
    case SocketOption::protocol:
    case SocketOption::peer_pid:
        break;
    }
    return -err::NOPROTOOPT;
}

i64 get_socket_option(Process& m, u64 fd, SocketOption option, SocketOptionValue& out) {
    i64 error = 0;
    Socket* s = socket_of(m, fd, error);
    if (s == nullptr)
        return error;
    const SocketOptions& o = s->options;
    switch (option) {
    case SocketOption::reuseaddr:
        out.number = o.reuseaddr;
        return 0;
    case SocketOption::reuseport:
        out.number = o.reuseport;
        return 0;
    case SocketOption::keepalive:
        out.number = o.keepalive;
        return 0;
    case SocketOption::broadcast:
        out.number = o.broadcast;
        return 0;
    case SocketOption::nodelay:
        if (s->family == Family::local)
            return -err::OPNOTSUPP;
        out.number = o.nodelay;
        return 0;
    case SocketOption::v6only:
        if (s->family != Family::inet6)
            return -err::NOPROTOOPT;
        out.number = o.v6only;
        return 0;
    case SocketOption::nosigpipe:
        out.number = o.nosigpipe;
        return 0;
    case SocketOption::linger:
        out.linger_on = o.linger;
        out.linger_seconds = o.linger_seconds;
        return 0;
    case SocketOption::error:
        out.number = -s->error;
        if (s->error != 0) {
            s->error = 0;
            ++s->generation;
        }
        return 0;
    case SocketOption::type:
        out.type = s->type;
        return 0;
    case SocketOption::acceptconn:
        out.number = s->state == SocketState::listening;
        return 0;
    case SocketOption::domain:
        out.family = s->family;
        return 0;
    case SocketOption::protocol:
        out.number = s->protocol;
        return 0;
    case SocketOption::peer_pid: {
        auto peer = s->peer.lock();
        out.number = peer ? peer->pid : 0;
        return 0;
    }
    case SocketOption::sndbuf:
        out.number = o.sndbuf;
        return 0;
    case SocketOption::rcvbuf:
        out.number = o.rcvbuf;
        return 0;
    }
    return -err::NOPROTOOPT;
}

i64 remember_option(Process& m, u64 fd, i64 level, i64 name, std::vector<u8> bytes) {
    i64 error = 0;
    Socket* s = socket_of(m, fd, error);
    if (s == nullptr)
        return error;
    constexpr std::size_t kMaxOptionBytes = 256; // what one remembered option may hold
    if (bytes.size() > kMaxOptionBytes)
        bytes.resize(kMaxOptionBytes);
    constexpr std::size_t kMaxOptions = 64;
    if (s->options.other.size() >= kMaxOptions && !s->options.other.contains({level, name}))
        return -err::NOBUFS;
    s->options.other[{level, name}] = std::move(bytes);
    return 0;
}

i64 remembered_option(Process& m, u64 fd, i64 level, i64 name, std::vector<u8>& out) {
    i64 error = 0;
    Socket* s = socket_of(m, fd, error);
    if (s == nullptr)
        return error;
    auto it = s->options.other.find({level, name});
    if (it == s->options.other.end())
        return -err::NOPROTOOPT;
    out = it->second;
    return 0;
}

} // namespace crossrt::kernel::posix
