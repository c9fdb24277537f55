// Sockets with NetBSD's numbers and structures (BSD sockaddrs with sa_len
// and a one-byte family, AF_INET6 24, a 104-byte sun_path, struct msghdr
// with int and socklen_t counts, SOL_SOCKET 0xffff and its option numbers,
// SOCK_NONBLOCK 0x20000000, SOCK_CLOEXEC 0x10000000, SOCK_NOSIGPIPE),
// around posix/socket.h: the run's private loopback network. Results are
// encoded in NetBSD's errno numbers, SO_ERROR's value too.
#include "kernel/netbsd/sys.h"
#include "kernel/posix/args.h"
#include "kernel/posix/socket.h"
#include "kernel/posix/socket_io.h"
#include "kernel/posix/socket_options.h"

namespace crossrt::kernel::nbsd {
namespace {

using posix::Family;
using posix::SocketOption;
using posix::SocketType;

constexpr u64 kSockCloexec = 0x10000000;
constexpr u64 kSockNonblock = 0x20000000;
constexpr u64 kSockNosigpipe = 0x40000000;
constexpr u64 kSockFlags = kSockCloexec | kSockNonblock | kSockNosigpipe;

constexpr u64 kMsgOob = 0x1;
constexpr u64 kMsgPeek = 0x2;
constexpr u64 kMsgTrunc = 0x10;
constexpr u64 kMsgWaitall = 0x40;
constexpr u64 kMsgDontwait = 0x80;
constexpr u64 kMsgNosignal = 0x400;
constexpr u64 kMsgCmsgCloexec = 0x800;
constexpr u64 kMsgNbio = 0x1000;

constexpr i64 kSolSocket = 0xffff;
constexpr i64 kIpprotoIp = 0;
constexpr i64 kIpprotoTcp = 6;
constexpr i64 kIpprotoUdp = 17;
constexpr i64 kIpprotoIpv6 = 41;

posix::SocketAbi socket_abi(const Process& m) {
    posix::SocketAbi abi;
    abi.bsd_sockaddr = true;
    abi.af_inet6 = 24;
    abi.sun_path_size = 104;
    abi.abstract_names = false;
    abi.word_size = static_cast<u32>(m.word_size());
    abi.iovlen_size = 4;     // int msg_iovlen
    abi.controllen_size = 4; // socklen_t msg_controllen
    abi.cmsg_len_size = 4;   // socklen_t cmsg_len
    // ALIGNBYTES + 1: 8 on amd64 and on arm (EABI), 4 on i386.
    abi.cmsg_align = m.cpu().arch() == Arch::i386 ? 4 : 8;
    abi.sol_socket = static_cast<i32>(kSolSocket);
    abi.scm_rights = 1;
    abi.msg_trunc = static_cast<u32>(kMsgTrunc);
    abi.msg_ctrunc = 0x20;
    return abi;
}

Family family_of(u64 number) {
    switch (number) {
    case 1:
        return Family::local;
    case 2:
        return Family::inet;
    case 24:
        return Family::inet6;
    default:
        return Family::other;
    }
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

// What a new socket starts with as NetBSD makes it: IPv6 sockets are
// IPv6-only (net.inet6.ip6.v6only is 1), SOCK_NOSIGPIPE sets SO_NOSIGPIPE.
void netbsd_defaults(Process& m, i64 fd, bool nosigpipe) {
    if (fd < 0)
        return;
    posix::SocketOptionValue on;
    on.number = 1;
    i64 error = 0;
    const posix::Socket* s = posix::socket_of(m, static_cast<u64>(fd), error);
    if (s != nullptr && s->family == Family::inet6)
        posix::set_socket_option(m, static_cast<u64>(fd), SocketOption::v6only, on);
    if (nosigpipe)
        posix::set_socket_option(m, static_cast<u64>(fd), SocketOption::nosigpipe, on);
}

i64 msg_flags(Process& m, const SyscallArgs& args, u64 word, posix::MsgFlags& out) {
    if ((word & kMsgOob) != 0)
        return -kernel::err::OPNOTSUPP;
    if ((word & kMsgWaitall) != 0)
        m.note_once(args.nr, "MSG_WAITALL: a blocking receive returns what has arrived");
    out.peek = (word & kMsgPeek) != 0;
    out.dontwait = (word & (kMsgDontwait | kMsgNbio)) != 0;
    out.nosignal = (word & kMsgNosignal) != 0;
    out.trunc = (word & kMsgTrunc) != 0;
    out.cmsg_cloexec = (word & kMsgCmsgCloexec) != 0;
    return 0;
}

i64 read_address(Process& m, u64 address, u64 length, posix::SockAddr& out) {
    return posix::read_sockaddr(m, socket_abi(m), address, static_cast<u32>(length), out);
}

SysResult accept_with(Process& m, Lwp& self, const SyscallArgs& args, u64 flags) {
    if ((flags & ~kSockFlags) != 0)
        return SysResult::of(encode_errno(-kernel::err::INVAL));
    SysResult result =
        posix::socket_accept(m, self, socket_abi(m), args.a[0], args.a[1], args.a[2],
                             (flags & kSockNonblock) != 0, (flags & kSockCloexec) != 0);
    if (result.kind == SysResult::Kind::value && (flags & kSockNosigpipe) != 0)
        netbsd_defaults(m, result.value, true);
    return encode(result);
}

i64 family_number(Family family) {
    return family == Family::local ? 1 : family == Family::inet ? 2 : 24;
}

i64 netbsd_errno(i64 number) {
    return -encode_errno(-number);
}

i64 kept_buffer(SocketOption, i32 asked) {
    return asked; // NetBSD keeps what it is given
}

i64 default_buffer(const posix::Socket&, SocketOption) {
    return 65536; // what NetBSD's sockets start with here
}

const posix::SocketOptionTable& option_table() {
    using K = posix::OptionKind;
    static const posix::SocketOptionTable table = {
        {
            {kSolSocket, 0x2, SocketOption::acceptconn, K::flag},
            {kSolSocket, 0x4, SocketOption::reuseaddr, K::flag},
            {kSolSocket, 0x8, SocketOption::keepalive, K::flag},
            {kSolSocket, 0x20, SocketOption::broadcast, K::flag},
            {kSolSocket, 0x80, SocketOption::linger, K::linger},
            {kSolSocket, 0x200, SocketOption::reuseport, K::flag},
            {kSolSocket, 0x800, SocketOption::nosigpipe, K::flag},
            {kSolSocket, 0x1001, SocketOption::sndbuf, K::buffer},
            {kSolSocket, 0x1002, SocketOption::rcvbuf, K::buffer},
            {kSolSocket, 0x1007, SocketOption::error, K::error},
            {kSolSocket, 0x1008, SocketOption::type, K::type},
            {kIpprotoTcp, 1, SocketOption::nodelay, K::flag},
            {kIpprotoIpv6, 27, SocketOption::v6only, K::flag},
        },
        {kSolSocket, kIpprotoIp, kIpprotoTcp, kIpprotoUdp, kIpprotoIpv6},
        type_number,
        family_number,
        netbsd_errno,
        kept_buffer,
        default_buffer,
        "SO_REUSEADDR, SO_REUSEPORT, SO_KEEPALIVE, SO_BROADCAST, SO_LINGER, SO_NOSIGPIPE, "
        "SO_SNDBUF, SO_RCVBUF, TCP_NODELAY and IPV6_V6ONLY",
    };
    return table;
}

} // namespace

// __socket30(domain, type, protocol)
SysResult sys_socket(Process& m, Lwp&, const SyscallArgs& args) {
    u64 type = args.a[1];
    if ((type & ~(kSockFlags | 0xff)) != 0)
        return SysResult::of(encode_errno(-kernel::err::INVAL));
    i64 fd = posix::socket_create(m, family_of(args.a[0]), type_of(type & 0xff),
                                  static_cast<int>(posix::int_arg(args.a[2])),
                                  (type & kSockNonblock) != 0, (type & kSockCloexec) != 0);
    netbsd_defaults(m, fd, (type & kSockNosigpipe) != 0);
    return SysResult::of(encode_errno(fd));
}

// socketpair(domain, type, protocol, int rsv[2])
SysResult sys_socketpair(Process& m, Lwp&, const SyscallArgs& args) {
    u64 type = args.a[1];
    if ((type & ~(kSockFlags | 0xff)) != 0)
        return SysResult::of(encode_errno(-kernel::err::INVAL));
    i64 result = posix::socket_pair(
        m, family_of(args.a[0]), type_of(type & 0xff), static_cast<int>(posix::int_arg(args.a[2])),
        (type & kSockNonblock) != 0, (type & kSockCloexec) != 0, args.a[3]);
    if (result == 0 && (type & kSockNosigpipe) != 0) {
        i32 fds[2] = {-1, -1};
        if (m.memory().read(args.a[3], fds, sizeof fds)) {
            netbsd_defaults(m, fds[0], true);
            netbsd_defaults(m, fds[1], true);
        }
    }
    return SysResult::of(encode_errno(result));
}

SysResult sys_bind(Process& m, Lwp&, const SyscallArgs& args) {
    posix::SockAddr addr;
    if (i64 error = read_address(m, args.a[1], args.a[2], addr); error != 0)
        return SysResult::of(encode_errno(error));
    return SysResult::of(encode_errno(posix::socket_bind(m, args.a[0], addr)));
}

SysResult sys_connect(Process& m, Lwp& self, const SyscallArgs& args) {
    i64 error = 0;
    posix::Socket* s = posix::socket_of(m, args.a[0], error);
    if (s == nullptr)
        return SysResult::of(encode_errno(error));
    // NetBSD says EISCONN to any connect once connected (Linux's once more 0).
    s->connect_reported = true;
    posix::SockAddr addr;
    if (error = read_address(m, args.a[1], args.a[2], addr); error != 0)
        return SysResult::of(encode_errno(error));
    return encode(posix::socket_connect(m, self, args.a[0], addr));
}

SysResult sys_listen(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(
        encode_errno(posix::socket_listen(m, args.a[0], posix::int_arg(args.a[1]))));
}

SysResult sys_accept(Process& m, Lwp& self, const SyscallArgs& args) {
    return accept_with(m, self, args, 0);
}

// paccept(s, name, anamelen, sigmask, flags): a signal mask is refused.
SysResult sys_paccept(Process& m, Lwp& self, const SyscallArgs& args) {
    if (args.a[3] != 0)
        return SysResult::of(m.unsupported(args, "paccept (with a signal mask)"));
    return accept_with(m, self, args, args.a[4]);
}

SysResult sys_getsockname(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(
        encode_errno(posix::socket_name(m, socket_abi(m), args.a[0], false, args.a[1], args.a[2])));
}

SysResult sys_getpeername(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(
        encode_errno(posix::socket_name(m, socket_abi(m), args.a[0], true, args.a[1], args.a[2])));
}

SysResult sys_shutdown(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(encode_errno(
        posix::socket_shutdown(m, args.a[0], static_cast<int>(posix::int_arg(args.a[1])))));
}

// sendto(s, buf, len, flags, to, tolen)
SysResult sys_sendto(Process& m, Lwp& self, const SyscallArgs& args) {
    posix::MsgFlags flags;
    if (i64 error = msg_flags(m, args, args.a[3], flags); error != 0)
        return SysResult::of(encode_errno(error));
    return encode(posix::socket_send(m, self, socket_abi(m), args.a[0], args.a[1], args.a[2], flags,
                                     args.a[4], static_cast<u32>(args.a[5])));
}

// recvfrom(s, buf, len, flags, from, fromlenaddr)
SysResult sys_recvfrom(Process& m, Lwp& self, const SyscallArgs& args) {
    posix::MsgFlags flags;
    if (i64 error = msg_flags(m, args, args.a[3], flags); error != 0)
        return SysResult::of(encode_errno(error));
    return encode(posix::socket_recv(m, self, socket_abi(m), args.a[0], args.a[1], args.a[2], flags,
                                     args.a[4], args.a[5]));
}

SysResult sys_sendmsg(Process& m, Lwp& self, const SyscallArgs& args) {
    posix::MsgFlags flags;
    if (i64 error = msg_flags(m, args, args.a[2], flags); error != 0)
        return SysResult::of(encode_errno(error));
    return encode(posix::socket_sendmsg(m, self, socket_abi(m), args.a[0], args.a[1], flags));
}

SysResult sys_recvmsg(Process& m, Lwp& self, const SyscallArgs& args) {
    posix::MsgFlags flags;
    if (i64 error = msg_flags(m, args, args.a[2], flags); error != 0)
        return SysResult::of(encode_errno(error));
    return encode(posix::socket_recvmsg(m, self, socket_abi(m), args.a[0], args.a[1], flags));
}

// setsockopt(s, level, name, val, valsize)
SysResult sys_setsockopt(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(encode_errno(
        posix::set_option_call(m, args.nr, option_table(), args.a[0], posix::int_arg(args.a[1]),
                               posix::int_arg(args.a[2]), args.a[3], static_cast<u32>(args.a[4]))));
}

// getsockopt(s, level, name, val, avalsize*)
SysResult sys_getsockopt(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(encode_errno(
        posix::get_option_call(m, args.nr, option_table(), args.a[0], posix::int_arg(args.a[1]),
                               posix::int_arg(args.a[2]), args.a[3], args.a[4])));
}

} // namespace crossrt::kernel::nbsd
