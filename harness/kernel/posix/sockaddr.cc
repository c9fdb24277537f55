#include "kernel/posix/sockaddr.h"

#include "kernel/process.h"

#include <algorithm>
#include <vector>

namespace crossrt::kernel::posix {
namespace {

constexpr u64 kSockaddrStorage = 128;     // the most any call reads
constexpr std::size_t kInetSize = 16;     // struct sockaddr_in
constexpr std::size_t kInet6Size = 28;    // struct sockaddr_in6
constexpr std::size_t kInet6Rfc2133 = 24; // without sin6_scope_id: still accepted
constexpr u8 kAfLocal = 1;
constexpr u8 kAfInet = 2;

u16 big_endian16(const u8* bytes) {
    return static_cast<u16>((bytes[0] << 8) | bytes[1]);
}
u32 little_endian32(const u8* bytes) {
    return static_cast<u32>(bytes[0]) | static_cast<u32>(bytes[1]) << 8 |
           static_cast<u32>(bytes[2]) << 16 | static_cast<u32>(bytes[3]) << 24;
}
void put_big_endian16(std::string& out, std::size_t at, u16 value) {
    out[at] = static_cast<char>(value >> 8);
    out[at + 1] = static_cast<char>(value & 0xff);
}
void put_little_endian32(std::string& out, std::size_t at, u32 value) {
    for (std::size_t i = 0; i < 4; ++i)
        out[at + i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

// The header every sockaddr starts with, in the personality's layout.
void put_header(const SocketAbi& abi, std::string& out, u16 family) {
    if (abi.bsd_sockaddr) {
        out[0] = static_cast<char>(out.size());
        out[1] = static_cast<char>(family);
    } else {
        out[0] = static_cast<char>(family & 0xff);
        out[1] = static_cast<char>(family >> 8);
    }
}

} // namespace

std::array<u8, 16> ipv4_mapped(u8 a, u8 b, u8 c, u8 d) {
    return {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, a, b, c, d};
}

bool is_ipv4_mapped(const std::array<u8, 16>& ip) {
    return std::all_of(ip.begin(), ip.begin() + 10, [](u8 b) { return b == 0; }) &&
           ip[10] == 0xff && ip[11] == 0xff;
}

bool is_unspecified(const std::array<u8, 16>& ip) {
    std::array<u8, 16> zero{};
    return ip == zero || ip == ipv4_mapped(0, 0, 0, 0);
}

bool is_ipv6_loopback(const std::array<u8, 16>& ip) {
    std::array<u8, 16> one{};
    one[15] = 1;
    return ip == one;
}

bool is_ipv4_loopback(const std::array<u8, 16>& ip) {
    return is_ipv4_mapped(ip) && ip[12] == 127;
}

i64 read_sockaddr(Process& m, const SocketAbi& abi, u64 address, u64 length, SockAddr& out) {
    if (length < 2 || length > kSockaddrStorage)
        return -err::INVAL;
    std::vector<u8> bytes(length);
    if (!m.memory().read(address, bytes.data(), bytes.size()))
        return -err::FAULT;
    u16 family = abi.bsd_sockaddr ? bytes[1] : static_cast<u16>(bytes[0] | bytes[1] << 8);
    out = SockAddr{};
    if (family == 0) {
        out.family = Family::unspec;
        // Linux's bind takes AF_UNSPEC with INADDR_ANY as AF_INET.
        if (length >= kInetSize)
            out.ip = ipv4_mapped(bytes[4], bytes[5], bytes[6], bytes[7]);
        return 0;
    }
    if (family == kAfInet) {
        if (length < kInetSize)
            return -err::INVAL;
        out.family = Family::inet;
        out.port = big_endian16(&bytes[2]);
        out.ip = ipv4_mapped(bytes[4], bytes[5], bytes[6], bytes[7]);
        return 0;
    }
    if (family == abi.af_inet6) {
        if (length < kInet6Rfc2133)
            return -err::INVAL;
        out.family = Family::inet6;
        out.port = big_endian16(&bytes[2]);
        out.flowinfo = little_endian32(&bytes[4]);
        std::copy(bytes.begin() + 8, bytes.begin() + 24, out.ip.begin());
        if (length >= kInet6Size)
            out.scope_id = little_endian32(&bytes[24]);
        return 0;
    }
    if (family == kAfLocal) {
        out.family = Family::local;
        std::size_t end = std::min<std::size_t>(bytes.size(), 2 + abi.sun_path_size);
        if (bytes.size() > 2 + abi.sun_path_size)
            return -err::INVAL;
        if (end > 2 && bytes[2] == 0 && abi.abstract_names) {
            out.abstract = true;
            out.path.assign(bytes.begin() + 3, bytes.begin() + static_cast<std::ptrdiff_t>(end));
            return 0;
        }
        auto last =
            std::find(bytes.begin() + 2, bytes.begin() + static_cast<std::ptrdiff_t>(end), u8{0});
        out.path.assign(bytes.begin() + 2, last);
        return 0;
    }
    out.family = Family::other;
    return 0;
}

std::string encode_sockaddr(const SocketAbi& abi, const SockAddr& addr) {
    std::string out;
    switch (addr.family) {
    case Family::inet:
        out.assign(kInetSize, '\0');
        put_header(abi, out, kAfInet);
        put_big_endian16(out, 2, addr.port);
        std::copy(addr.ip.begin() + 12, addr.ip.end(), out.begin() + 4);
        break;
    case Family::inet6:
        out.assign(kInet6Size, '\0');
        put_header(abi, out, abi.af_inet6);
        put_big_endian16(out, 2, addr.port);
        put_little_endian32(out, 4, addr.flowinfo);
        std::copy(addr.ip.begin(), addr.ip.end(), out.begin() + 8);
        put_little_endian32(out, 24, addr.scope_id);
        break;
    case Family::local:
        // A path with its NUL, an abstract name without one, or nothing.
        out.assign(2, '\0');
        if (addr.abstract)
            out += '\0' + addr.path;
        else if (!addr.path.empty())
            out += addr.path + '\0';
        put_header(abi, out, kAfLocal);
        break;
    case Family::unspec:
    case Family::other:
        out.assign(2, '\0');
        put_header(abi, out, 0);
        break;
    }
    return out;
}

i64 write_sockaddr(Process& m, const SocketAbi& abi, const SockAddr& addr, u64 address,
                   u64 length_address) {
    if (address == 0)
        return 0;
    i32 room = 0;
    if (!m.memory().read_value(length_address, room))
        return -err::FAULT;
    if (room < 0)
        return -err::INVAL;
    std::string bytes = encode_sockaddr(abi, addr);
    std::size_t n = std::min<std::size_t>(bytes.size(), static_cast<std::size_t>(room));
    if (n > 0 && !m.memory().write(address, bytes.data(), n))
        return -err::FAULT;
    if (!m.memory().write_value(length_address, static_cast<u32>(bytes.size())))
        return -err::FAULT;
    return 0;
}

} // namespace crossrt::kernel::posix
