// setsockopt and getsockopt on the sockets of socket.h, by meaning: the
// options the kernel acts on or answers itself. A personality decodes its
// (level, name) numbers into SocketOption, converts the values it numbers
// its own way (types, families, errnos), and keeps any other option as the
// bytes the guest set (remember_option), reading them back as they were.
#pragma once

#include "kernel/posix/socket.h"
#include "kernel/types.h"

#include <vector>

namespace crossrt::kernel {
class Process;
}

namespace crossrt::kernel::posix {

enum class SocketOption {
    reuseaddr,
    reuseport,
    keepalive,
    broadcast,
    nodelay,
    v6only,     // IPV6_V6ONLY: IPv6 sockets only, and only before bind
    nosigpipe,  // NetBSD's SO_NOSIGPIPE
    linger,     // struct linger
    error,      // SO_ERROR: the pending error, taken (read only)
    type,       // SO_TYPE (read only)
    acceptconn, // listening (read only)
    domain,     // the family (read only)
    protocol,   // read only
    peer_pid,   // SO_PEERCRED's pid: the peer's creator (read only)
    sndbuf,     // as the guest set it, 0 for the default
    rcvbuf,
};

struct SocketOptionValue {
    i64 number = 0; // flags: 0 or 1; error: the positive errno; buffers: bytes
    bool linger_on = false;
    i32 linger_seconds = 0;
    SocketType type = SocketType::stream;
    Family family = Family::local;
};

// 0 or -errno (EBADF, ENOTSOCK, ENOPROTOOPT for an option the socket's
// family has not, EINVAL for one that cannot change now).
i64 set_socket_option(Process& m, u64 fd, SocketOption option, const SocketOptionValue& value);
i64 get_socket_option(Process& m, u64 fd, SocketOption option, SocketOptionValue& out);

// Any other option: its bytes kept by (level, name), and read back
// (-ENOPROTOOPT when it was never set).
i64 remember_option(Process& m, u64 fd, i64 level, i64 name, std::vector<u8> bytes);
i64 remembered_option(Process& m, u64 fd, i64 level, i64 name, std::vector<u8>& out);

} // namespace crossrt::kernel::posix
