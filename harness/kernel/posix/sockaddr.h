// Socket addresses in neutral form (the loopback network's IPv4 and IPv6
// addresses, AF_UNIX paths and Linux's abstract names), and how a
// personality lays them out in guest memory: a Linux sockaddr starts with a
// 16-bit family, a BSD one with its length byte and a one-byte family, and
// the personalities number AF_INET6 and size sun_path differently. The
// personality gives its layout as data (SocketAbi); the code is shared.
#pragma once

#include "kernel/types.h"

#include <array>
#include <string>

namespace crossrt::kernel {
class Process;
}

namespace crossrt::kernel::posix {

enum class Family { unspec, local, inet, inet6, other };

struct SockAddr {
    Family family = Family::unspec;
    // inet and inet6: the address in IPv6 form (IPv4 as ::ffff:a.b.c.d),
    // the port in host order.
    std::array<u8, 16> ip{};
    u16 port = 0;
    u32 flowinfo = 0;
    u32 scope_id = 0;
    // local: a path, an abstract name (Linux: sun_path starts with NUL), or
    // neither (an unnamed socket).
    std::string path;
    bool abstract = false;
};

// An AF_UNIX socket without a name (socketpair's, a client's).
inline SockAddr unnamed_local() {
    SockAddr addr;
    addr.family = Family::local;
    return addr;
}

// The IPv6 forms of the addresses the loopback network knows.
std::array<u8, 16> ipv4_mapped(u8 a, u8 b, u8 c, u8 d);
bool is_ipv4_mapped(const std::array<u8, 16>& ip);
bool is_unspecified(const std::array<u8, 16>& ip); // :: (and 0.0.0.0 mapped)
bool is_ipv6_loopback(const std::array<u8, 16>& ip);
// 127.0.0.0/8, as a mapped address.
bool is_ipv4_loopback(const std::array<u8, 16>& ip);

// How one personality and arch lay out the socket structures.
struct SocketAbi {
    // sockaddr: BSD's sa_len byte and one-byte family, or Linux's u16 family.
    bool bsd_sockaddr = false;
    u16 af_inet6 = 10;
    u32 sun_path_size = 108;
    bool abstract_names = true;
    // struct msghdr: pointers and size_t are word_size bytes; msg_iovlen
    // and msg_controllen are size_t (Linux) or 32-bit (NetBSD).
    u32 word_size = 8;
    u32 iovlen_size = 8;
    u32 controllen_size = 8;
    // struct cmsghdr: cmsg_len's size, and the alignment of what follows it.
    u32 cmsg_len_size = 8;
    u32 cmsg_align = 8;
    // The numbers a control message and recvmsg's msg_flags carry.
    i32 sol_socket = 1;
    i32 scm_rights = 1;
    u32 msg_trunc = 0x20;
    u32 msg_ctrunc = 0x8;
};

// A sockaddr of `length` bytes at `address`: 0, or -EINVAL (too short or
// too long for its family), -EFAULT. An unknown family is Family::other.
i64 read_sockaddr(Process& m, const SocketAbi& abi, u64 address, u64 length, SockAddr& out);
// The bytes of a sockaddr as the guest sees it (getsockname and friends).
std::string encode_sockaddr(const SocketAbi& abi, const SockAddr& addr);
// Writes addr to the buffer at `address` whose size is the socklen_t at
// `length_address` (truncated to it), then the full length there: 0,
// -EINVAL for a negative size, -EFAULT. Nothing when address is 0.
i64 write_sockaddr(Process& m, const SocketAbi& abi, const SockAddr& addr, u64 address,
                   u64 length_address);

} // namespace crossrt::kernel::posix
