// setsockopt and getsockopt on the sockets of socket.h, by meaning: the
// options the kernel acts on or answers itself. A personality gives its
// (level, name) numbers and the values it numbers its own way (types,
// families, errnos, buffer sizes) as a table of data, SocketOptionTable;
// the calls (set_option_call, get_option_call) are shared. Any other option
// of a level the table keeps is remembered as the bytes the guest set and
// read back as they were.
#pragma once

#include "kernel/posix/socket.h"
#include "kernel/types.h"

#include <string_view>
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

// How a value travels: an int (0 or 1 for a flag), struct linger, struct
// ucred (SO_PEERCRED), or an int the personality numbers.
enum class OptionKind { flag, integer, linger, peercred, error, type, domain, buffer };

struct OptionName {
    i64 level = 0;
    i64 name = 0;
    SocketOption option = SocketOption::reuseaddr;
    OptionKind kind = OptionKind::flag;
};

// One personality's option numbers and value conventions.
struct SocketOptionTable {
    std::vector<OptionName> known;      // what the kernel acts on or answers
    std::vector<i64> remembered_levels; // whose other options are kept
    i64 (*type_number)(SocketType) = nullptr;
    i64 (*family_number)(Family) = nullptr;
    i64 (*errno_number)(i64 kernel_errno) = nullptr; // positive in and out
    // SO_SNDBUF and SO_RCVBUF: what a set keeps of what was asked, and what
    // a socket reports before any set.
    i64 (*kept_buffer)(SocketOption option, i32 asked) = nullptr;
    i64 (*default_buffer)(const Socket& socket, SocketOption option) = nullptr;
    std::string_view acted_on; // the options named in the note about the rest
};

// setsockopt(fd, level, name, value, length) and getsockopt(fd, level, name,
// value, length*): 0 or -errno in the kernel's numbering (nr: the call, for
// the once-per-run note).
i64 set_option_call(Process& m, u64 nr, const SocketOptionTable& table, u64 fd, i64 level, i64 name,
                    u64 value, i64 length);
i64 get_option_call(Process& m, u64 nr, const SocketOptionTable& table, u64 fd, i64 level, i64 name,
                    u64 value, u64 length_address);

// 0 or -errno (EBADF, ENOTSOCK, ENOPROTOOPT for an option the socket's
// family has not, EINVAL for one that cannot change now).
i64 set_socket_option(Process& m, u64 fd, SocketOption option, const SocketOptionValue& value);
i64 get_socket_option(Process& m, u64 fd, SocketOption option, SocketOptionValue& out);

// Any other option: its bytes kept by (level, name), and read back
// (-ENOPROTOOPT when it was never set).
i64 remember_option(Process& m, u64 fd, i64 level, i64 name, std::vector<u8> bytes);
i64 remembered_option(Process& m, u64 fd, i64 level, i64 name, std::vector<u8>& out);

} // namespace crossrt::kernel::posix
