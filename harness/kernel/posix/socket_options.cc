#include "kernel/posix/socket_options.h"

#include "kernel/posix/poll.h"
#include "kernel/process.h"

#include <algorithm>
#include <fmt/format.h>
#include <optional>

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

namespace {

std::optional<OptionName> find_option(const SocketOptionTable& table, i64 level, i64 name) {
    for (const OptionName& known : table.known) {
        if (known.level == level && known.name == name)
            return known;
    }
    return std::nullopt;
}

bool remembered(const SocketOptionTable& table, i64 level) {
    return std::find(table.remembered_levels.begin(), table.remembered_levels.end(), level) !=
           table.remembered_levels.end();
}

// Writes what getsockopt answers: at most *length bytes, then their count.
i64 put_option(Process& m, u64 value, u64 length_address, const void* bytes, u32 size) {
    i32 room = 0;
    if (!m.memory().read_value(length_address, room))
        return -err::FAULT;
    if (room < 0)
        return -err::INVAL;
    u32 n = std::min<u32>(size, static_cast<u32>(room));
    if ((n > 0 && !m.memory().write(value, bytes, n)) || !m.memory().write_value(length_address, n))
        return -err::FAULT;
    return 0;
}

} // namespace

i64 set_option_call(Process& m, u64 nr, const SocketOptionTable& table, u64 fd, i64 level, i64 name,
                    u64 value, i64 length) {
    i64 error = 0;
    if (socket_of(m, fd, error) == nullptr)
        return error;
    if (length < 0)
        return -err::INVAL;
    std::optional<OptionName> known = find_option(table, level, name);
    if (!known) {
        if (!remembered(table, level))
            return -err::NOPROTOOPT;
        std::vector<u8> bytes(static_cast<std::size_t>(std::min<i64>(length, 256)));
        if (!bytes.empty() && !m.memory().read(value, bytes.data(), bytes.size()))
            return -err::FAULT;
        m.note_once(nr, fmt::format("setsockopt: options but {} are kept and read back, never "
                                    "acted on (first: level {} name {})",
                                    table.acted_on, level, name));
        return remember_option(m, fd, level, name, std::move(bytes));
    }
    SocketOptionValue set;
    if (known->kind == OptionKind::linger) {
        i32 pair[2] = {0, 0};
        if (length < static_cast<i64>(sizeof pair))
            return -err::INVAL;
        if (!m.memory().read(value, pair, sizeof pair))
            return -err::FAULT;
        set.linger_on = pair[0] != 0;
        set.linger_seconds = pair[1];
    } else {
        i32 number = 0;
        if (length < static_cast<i64>(sizeof number))
            return -err::INVAL;
        if (!m.memory().read_value(value, number))
            return -err::FAULT;
        set.number =
            known->kind == OptionKind::buffer ? table.kept_buffer(known->option, number) : number;
    }
    return set_socket_option(m, fd, known->option, set);
}

i64 get_option_call(Process& m, u64 nr, const SocketOptionTable& table, u64 fd, i64 level, i64 name,
                    u64 value, u64 length_address) {
    i64 error = 0;
    Socket* s = socket_of(m, fd, error);
    if (s == nullptr)
        return error;
    std::optional<OptionName> known = find_option(table, level, name);
    if (!known) {
        if (!remembered(table, level))
            return -err::NOPROTOOPT;
        std::vector<u8> bytes;
        if (remembered_option(m, fd, level, name, bytes) != 0) {
            m.note_once(nr, fmt::format("getsockopt: an option never set reads as 0 (first: "
                                        "level {} name {})",
                                        level, name));
            bytes.assign(4, 0);
        }
        return put_option(m, value, length_address, bytes.data(), static_cast<u32>(bytes.size()));
    }
    SocketOptionValue got;
    if (i64 failed = get_socket_option(m, fd, known->option, got); failed != 0)
        return failed;
    switch (known->kind) {
    case OptionKind::linger: {
        i32 pair[2] = {got.linger_on ? 1 : 0, got.linger_seconds};
        return put_option(m, value, length_address, pair, sizeof pair);
    }
    case OptionKind::peercred: {
        i32 cred[3] = {static_cast<i32>(got.number), 1000, 1000}; // struct ucred
        return put_option(m, value, length_address, cred, sizeof cred);
    }
    case OptionKind::type:
        got.number = table.type_number(got.type);
        break;
    case OptionKind::domain:
        got.number = table.family_number(got.family);
        break;
    case OptionKind::error:
        got.number = got.number == 0 ? 0 : table.errno_number(got.number);
        break;
    case OptionKind::buffer:
        if (got.number == 0)
            got.number = table.default_buffer(*s, known->option);
        break;
    case OptionKind::flag:
    case OptionKind::integer:
        break;
    }
    i32 number = static_cast<i32>(got.number);
    return put_option(m, value, length_address, &number, sizeof number);
}

} // namespace crossrt::kernel::posix
