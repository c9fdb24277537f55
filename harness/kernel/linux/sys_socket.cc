// Sockets with Linux's numbers and structures (sockaddr with a 16-bit
// family, AF_INET6 10, struct msghdr and cmsghdr with size_t fields, the
// SOL_SOCKET, IPPROTO_TCP and IPPROTO_IPV6 options), around posix/socket.h:
// the run's private loopback network. 386 reaches every call through
// socketcall(2) too, as Go's linux/386 does.
#include "kernel/linux/sys.h"
#include "kernel/posix/args.h"
#include "kernel/posix/socket.h"
#include "kernel/posix/socket_io.h"
#include "kernel/posix/socket_options.h"

#include <algorithm>

namespace crossrt::kernel::lnx {
namespace {

using posix::Family;
using posix::SocketOption;
using posix::SocketType;

constexpr u64 kSockNonblock = 04000;   // O_NONBLOCK, on x86 and arm
constexpr u64 kSockCloexec = 02000000; // O_CLOEXEC
constexpr u64 kSockTypeMask = 0xf;
constexpr u64 kSockMax = 11;
constexpr i64 kProtocolFamilies = 46; // NPROTO

constexpr u64 kMsgOob = 0x1;
constexpr u64 kMsgPeek = 0x2;
constexpr u64 kMsgTrunc = 0x20;
constexpr u64 kMsgDontwait = 0x40;
constexpr u64 kMsgWaitall = 0x100;
constexpr u64 kMsgNosignal = 0x4000;
constexpr u64 kMsgCmsgCloexec = 0x40000000;

constexpr i64 kSolSocket = 1;
constexpr i64 kIpprotoIp = 0;
constexpr i64 kIpprotoTcp = 6;
constexpr i64 kIpprotoUdp = 17;
constexpr i64 kIpprotoIpv6 = 41;

// Linux's sysctls the buffer sizes follow (net.core.*mem_max and the
// defaults of a 6.1 kernel).
constexpr i64 kBufferMax = 212992;
constexpr i64 kMinSndbuf = 4608;
constexpr i64 kMinRcvbuf = 2304;

posix::SocketAbi socket_abi(const Process& m) {
    posix::SocketAbi abi; // Linux's layout is the default one
    u32 w = static_cast<u32>(m.word_size());
    abi.word_size = abi.iovlen_size = abi.controllen_size = abi.cmsg_len_size = abi.cmsg_align = w;
    return abi;
}

Family family_of(u64 number) {
    switch (number) {
    case 1:
        return Family::local;
    case 2:
        return Family::inet;
    case 10:
        return Family::inet6;
    default:
        return Family::other;
    }
}

i64 family_number(Family family) {
    return family == Family::local ? 1 : family == Family::inet ? 2 : 10;
}

SocketType type_of(u64 number) {
    switch (number) {
    case 1:
        return SocketType::stream;
    case 2:
        return SocketType::dgram;
    case 3:
        return SocketType::raw;
    case 5:
        return SocketType::seqpacket;
    default:
        return SocketType::other;
    }
}

i64 type_number(SocketType type) {
    return type == SocketType::stream ? 1 : type == SocketType::dgram ? 2 : 5;
}

// socket(2) and socketpair(2)'s type word: the type, then SOCK_NONBLOCK
// and SOCK_CLOEXEC. -EINVAL for anything else.
i64 split_type(u64 word, SocketType& type, bool& nonblock, bool& cloexec) {
    u64 kind = word & kSockTypeMask;
    if ((word & ~(kSockTypeMask | kSockNonblock | kSockCloexec)) != 0 || kind == 0 ||
        kind >= kSockMax)
        return -err::INVAL;
    type = type_of(kind);
    nonblock = (word & kSockNonblock) != 0;
    cloexec = (word & kSockCloexec) != 0;
    return 0;
}

i64 check_family(u64 number) {
    i64 family = posix::int_arg(number);
    return family < 0 || family >= kProtocolFamilies ? -err::AFNOSUPPORT : 0;
}

// The MSG_* flags: what is honoured, what is refused (MSG_OOB: no urgent
// data on the loopback), what is ignored with a note (MSG_WAITALL: a
// blocking read returns what arrived).
i64 msg_flags(Process& m, const SyscallArgs& args, u64 word, posix::MsgFlags& out) {
    if ((word & kMsgOob) != 0)
        return -err::OPNOTSUPP;
    if ((word & kMsgWaitall) != 0)
        m.note_once(args.nr, "MSG_WAITALL: a blocking receive returns what has arrived");
    out.peek = (word & kMsgPeek) != 0;
    out.dontwait = (word & kMsgDontwait) != 0;
    out.nosignal = (word & kMsgNosignal) != 0;
    out.trunc = (word & kMsgTrunc) != 0;
    out.cmsg_cloexec = (word & kMsgCmsgCloexec) != 0;
    return 0;
}

SysResult read_address_then(Process& m, u64 address, u64 length, posix::SockAddr& out) {
    i64 length_value = posix::int_arg(length);
    if (length_value < 0)
        return SysResult::of(-err::INVAL);
    return SysResult::of(
        posix::read_sockaddr(m, socket_abi(m), address, static_cast<u64>(length_value), out));
}

SysResult accept_with(Process& m, Lwp& self, const SyscallArgs& args, u64 flags) {
    if ((flags & ~(kSockNonblock | kSockCloexec)) != 0)
        return SysResult::of(-err::INVAL);
    return posix::socket_accept(m, self, socket_abi(m), args.a[0], args.a[1], args.a[2],
                                (flags & kSockNonblock) != 0, (flags & kSockCloexec) != 0);
}

SysResult send_with(Process& m, Lwp& self, const SyscallArgs& args, u64 to, u64 to_length) {
    posix::MsgFlags flags;
    if (i64 error = msg_flags(m, args, args.a[3], flags); error != 0)
        return SysResult::of(error);
    return posix::socket_send(m, self, socket_abi(m), args.a[0], args.a[1], args.a[2], flags, to,
                              to_length);
}

SysResult recv_with(Process& m, Lwp& self, const SyscallArgs& args, u64 from, u64 from_length) {
    posix::MsgFlags flags;
    if (i64 error = msg_flags(m, args, args.a[3], flags); error != 0)
        return SysResult::of(error);
    return posix::socket_recv(m, self, socket_abi(m), args.a[0], args.a[1], args.a[2], flags, from,
                              from_length);
}

// ---- options ----

i64 kept_buffer(SocketOption option, i32 asked) {
    // As Linux: the kernel doubles what it is given (for its own
    // bookkeeping), within net.core.*mem_max.
    i64 doubled = std::clamp<i64>(asked, 0, kBufferMax) * 2;
    return std::max(doubled, option == SocketOption::sndbuf ? kMinSndbuf : kMinRcvbuf);
}

i64 default_buffer(const posix::Socket& s, SocketOption option) {
    if (s.family == Family::local || s.type != SocketType::stream)
        return kBufferMax;
    // net.ipv4.tcp_wmem and tcp_rmem's defaults
    return option == SocketOption::sndbuf ? 16384 : 131072;
}

i64 same_errno(i64 number) {
    return number; // Linux's numbers are the kernel's
}

const posix::SocketOptionTable& option_table() {
    using K = posix::OptionKind;
    static const posix::SocketOptionTable table = {
        {
            {kSolSocket, 2, SocketOption::reuseaddr, K::flag},
            {kSolSocket, 3, SocketOption::type, K::type},
            {kSolSocket, 4, SocketOption::error, K::error},
            {kSolSocket, 6, SocketOption::broadcast, K::flag},
            {kSolSocket, 7, SocketOption::sndbuf, K::buffer},
            {kSolSocket, 8, SocketOption::rcvbuf, K::buffer},
            {kSolSocket, 9, SocketOption::keepalive, K::flag},
            {kSolSocket, 13, SocketOption::linger, K::linger},
            {kSolSocket, 15, SocketOption::reuseport, K::flag},
            {kSolSocket, 17, SocketOption::peer_pid, K::peercred},
            {kSolSocket, 30, SocketOption::acceptconn, K::flag},
            {kSolSocket, 38, SocketOption::protocol, K::integer},
            {kSolSocket, 39, SocketOption::domain, K::domain},
            {kIpprotoTcp, 1, SocketOption::nodelay, K::flag},
            {kIpprotoIpv6, 26, SocketOption::v6only, K::flag},
        },
        {kSolSocket, kIpprotoIp, kIpprotoTcp, kIpprotoUdp, kIpprotoIpv6},
        type_number,
        family_number,
        same_errno,
        kept_buffer,
        default_buffer,
        "SO_REUSEADDR, SO_REUSEPORT, SO_KEEPALIVE, SO_BROADCAST, SO_LINGER, SO_SNDBUF, SO_RCVBUF, "
        "TCP_NODELAY and IPV6_V6ONLY",
    };
    return table;
}

} // namespace

SysResult sys_socket(Process& m, Lwp&, const SyscallArgs& args) {
    SocketType type = SocketType::stream;
    bool nonblock = false, cloexec = false;
    if (i64 error = check_family(args.a[0]); error != 0)
        return SysResult::of(error);
    if (i64 error = split_type(args.a[1], type, nonblock, cloexec); error != 0)
        return SysResult::of(error);
    return SysResult::of(posix::socket_create(m, family_of(args.a[0]), type,
                                              static_cast<int>(posix::int_arg(args.a[2])), nonblock,
                                              cloexec));
}

SysResult sys_socketpair(Process& m, Lwp&, const SyscallArgs& args) {
    SocketType type = SocketType::stream;
    bool nonblock = false, cloexec = false;
    if (i64 error = check_family(args.a[0]); error != 0)
        return SysResult::of(error);
    if (i64 error = split_type(args.a[1], type, nonblock, cloexec); error != 0)
        return SysResult::of(error);
    return SysResult::of(posix::socket_pair(m, family_of(args.a[0]), type,
                                            static_cast<int>(posix::int_arg(args.a[2])), nonblock,
                                            cloexec, args.a[3]));
}

SysResult sys_bind(Process& m, Lwp&, const SyscallArgs& args) {
    posix::SockAddr addr;
    SysResult read = read_address_then(m, args.a[1], args.a[2], addr);
    if (read.value != 0)
        return read;
    return SysResult::of(posix::socket_bind(m, args.a[0], addr));
}

SysResult sys_connect(Process& m, Lwp& self, const SyscallArgs& args) {
    posix::SockAddr addr;
    SysResult read = read_address_then(m, args.a[1], args.a[2], addr);
    if (read.value != 0)
        return read;
    return posix::socket_connect(m, self, args.a[0], addr);
}

SysResult sys_listen(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::socket_listen(m, args.a[0], posix::int_arg(args.a[1])));
}

SysResult sys_accept(Process& m, Lwp& self, const SyscallArgs& args) {
    return accept_with(m, self, args, 0);
}

SysResult sys_accept4(Process& m, Lwp& self, const SyscallArgs& args) {
    return accept_with(m, self, args, args.a[3]);
}

SysResult sys_getsockname(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(
        posix::socket_name(m, socket_abi(m), args.a[0], false, args.a[1], args.a[2]));
}

SysResult sys_getpeername(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(
        posix::socket_name(m, socket_abi(m), args.a[0], true, args.a[1], args.a[2]));
}

SysResult sys_shutdown(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(
        posix::socket_shutdown(m, args.a[0], static_cast<int>(posix::int_arg(args.a[1]))));
}

// sendto(fd, buf, len, flags, addr, addrlen) and send (no address).
SysResult sys_sendto(Process& m, Lwp& self, const SyscallArgs& args) {
    return send_with(m, self, args, args.a[4], static_cast<u64>(posix::int_arg(args.a[5])));
}

SysResult sys_send(Process& m, Lwp& self, const SyscallArgs& args) {
    return send_with(m, self, args, 0, 0);
}

// recvfrom(fd, buf, len, flags, addr, addrlen*) and recv.
SysResult sys_recvfrom(Process& m, Lwp& self, const SyscallArgs& args) {
    return recv_with(m, self, args, args.a[4], args.a[5]);
}

SysResult sys_recv(Process& m, Lwp& self, const SyscallArgs& args) {
    return recv_with(m, self, args, 0, 0);
}

SysResult sys_sendmsg(Process& m, Lwp& self, const SyscallArgs& args) {
    posix::MsgFlags flags;
    if (i64 error = msg_flags(m, args, args.a[2], flags); error != 0)
        return SysResult::of(error);
    return posix::socket_sendmsg(m, self, socket_abi(m), args.a[0], args.a[1], flags);
}

SysResult sys_recvmsg(Process& m, Lwp& self, const SyscallArgs& args) {
    posix::MsgFlags flags;
    if (i64 error = msg_flags(m, args, args.a[2], flags); error != 0)
        return SysResult::of(error);
    return posix::socket_recvmsg(m, self, socket_abi(m), args.a[0], args.a[1], flags);
}

// setsockopt(fd, level, name, value, length)
SysResult sys_setsockopt(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(
        posix::set_option_call(m, args.nr, option_table(), args.a[0], posix::int_arg(args.a[1]),
                               posix::int_arg(args.a[2]), args.a[3], posix::int_arg(args.a[4])));
}

// getsockopt(fd, level, name, value, length*)
SysResult sys_getsockopt(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(posix::get_option_call(m, args.nr, option_table(), args.a[0],
                                                posix::int_arg(args.a[1]),
                                                posix::int_arg(args.a[2]), args.a[3], args.a[4]));
}

// socketcall(call, args): 386's one entry to every socket call, its
// arguments an array of words (Go's linux/386 calls them this way).
SysResult sys_socketcall(Process& m, Lwp& self, const SyscallArgs& args) {
    struct Call {
        Handler handler;
        int nargs;
    };
    static const Call calls[] = {
        {nullptr, 0},        {sys_socket, 3},   {sys_bind, 3},        {sys_connect, 3},
        {sys_listen, 2},     {sys_accept, 3},   {sys_getsockname, 3}, {sys_getpeername, 3},
        {sys_socketpair, 4}, {sys_send, 4},     {sys_recv, 4},        {sys_sendto, 6},
        {sys_recvfrom, 6},   {sys_shutdown, 2}, {sys_setsockopt, 5},  {sys_getsockopt, 5},
        {sys_sendmsg, 3},    {sys_recvmsg, 3},  {sys_accept4, 4},
    };
    u64 call = args.a[0];
    if (call == 0 || call >= std::size(calls)) {
        if (call == 19 || call == 20)
            return SysResult::of(m.unsupported(args, call == 19 ? "socketcall(SYS_RECVMMSG)"
                                                                : "socketcall(SYS_SENDMMSG)"));
        return SysResult::of(-err::INVAL);
    }
    SyscallArgs inner;
    inner.nr = args.nr;
    for (int i = 0; i < calls[call].nargs; ++i) {
        u32 word = 0;
        if (!m.memory().read_value(args.a[1] + 4 * static_cast<u64>(i), word))
            return SysResult::of(-err::FAULT);
        inner.a[static_cast<std::size_t>(i)] = word;
    }
    return calls[call].handler(m, self, inner);
}

} // namespace crossrt::kernel::lnx
