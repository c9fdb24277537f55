// Basic types of the unicorn backend's kernel: guest words, arches, errno
// values as Linux numbers them (the host's <cerrno> happens to agree on
// Linux, but the guest ABI is what matters, so they are spelled out).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace crossrt::kernel {

using u8 = std::uint8_t;
using u16 = std::uint16_t;
using u32 = std::uint32_t;
using u64 = std::uint64_t;
using i32 = std::int32_t;
using i64 = std::int64_t;

enum class Arch { amd64, i386, arm };

// The scheduling seed of a run that names none (the harness needs it too, to
// print the seeds a sweep tried).
constexpr u64 kDefaultSeed = 0x5eed;

std::string_view arch_name(Arch arch); // "amd64", "386", "arm"

constexpr u64 kNsPerSecond = 1'000'000'000ull;
// The virtual clock of both personalities: CLOCK_REALTIME starts at
// 2024-01-01T00:00:00Z (so runs repeat), CLOCK_MONOTONIC at 0.
constexpr u64 kRealtimeOffset = 1'704'067'200ull * kNsPerSecond;

// a + b and a * b, or the largest u64 where they would pass it: times in
// ns that overflow are "never".
constexpr u64 saturating_add(u64 a, u64 b) {
    return a > ~u64{0} - b ? ~u64{0} : a + b;
}
constexpr u64 saturating_mul(u64 a, u64 b) {
    return b != 0 && a > ~u64{0} / b ? ~u64{0} : a * b;
}

constexpr u64 kPageSize = 4096;
constexpr u64 page_down(u64 address) {
    return address & ~(kPageSize - 1);
}
constexpr u64 page_up(u64 address) {
    return (address + kPageSize - 1) & ~(kPageSize - 1);
}

// The kernel's errno values, the neutral numbering of posix/ and the core
// (posix/errno.h): Linux's numbers (asm-generic/errno-base.h, errno.h).
namespace err {
constexpr i64 PERM = 1;
constexpr i64 NOENT = 2;
constexpr i64 SRCH = 3;
constexpr i64 INTR = 4;
constexpr i64 IO = 5;
constexpr i64 NXIO = 6;
constexpr i64 TOOBIG = 7; // E2BIG
constexpr i64 NOEXEC = 8;
constexpr i64 BADF = 9;
constexpr i64 CHILD = 10;
constexpr i64 AGAIN = 11;
constexpr i64 NOMEM = 12;
constexpr i64 ACCES = 13;
constexpr i64 FAULT = 14;
constexpr i64 BUSY = 16;
constexpr i64 EXIST = 17;
constexpr i64 XDEV = 18;
constexpr i64 NODEV = 19;
constexpr i64 NOTDIR = 20;
constexpr i64 ISDIR = 21;
constexpr i64 INVAL = 22;
constexpr i64 MFILE = 24;
constexpr i64 NOTTY = 25;
constexpr i64 TXTBSY = 26;
constexpr i64 FBIG = 27;
constexpr i64 NOSPC = 28;
constexpr i64 SPIPE = 29;
constexpr i64 ROFS = 30;
constexpr i64 PIPE = 32;
constexpr i64 RANGE = 34;
constexpr i64 NAMETOOLONG = 36;
constexpr i64 NOSYS = 38;
constexpr i64 NOTEMPTY = 39;
constexpr i64 LOOP = 40;
constexpr i64 NODATA = 61;
constexpr i64 OVERFLOW = 75;
constexpr i64 LIBBAD = 80; // a dynamic program's interpreter is unusable
constexpr i64 NOTSOCK = 88;
constexpr i64 DESTADDRREQ = 89;
constexpr i64 MSGSIZE = 90;
constexpr i64 PROTOTYPE = 91;
constexpr i64 NOPROTOOPT = 92;
constexpr i64 PROTONOSUPPORT = 93;
constexpr i64 SOCKTNOSUPPORT = 94;
constexpr i64 OPNOTSUPP = 95;
constexpr i64 AFNOSUPPORT = 97;
constexpr i64 ADDRINUSE = 98;
constexpr i64 ADDRNOTAVAIL = 99;
constexpr i64 NETUNREACH = 101;
constexpr i64 CONNRESET = 104;
constexpr i64 NOBUFS = 105;
constexpr i64 ISCONN = 106;
constexpr i64 NOTCONN = 107;
constexpr i64 TOOMANYREFS = 109;
constexpr i64 TIMEDOUT = 110;
constexpr i64 CONNREFUSED = 111;
constexpr i64 ALREADY = 114;
constexpr i64 INPROGRESS = 115;
} // namespace err

// Linux signal numbers shared by amd64, 386 and arm.
namespace sig {
constexpr int HUP = 1;
constexpr int INT = 2;
constexpr int QUIT = 3;
constexpr int ILL = 4;
constexpr int TRAP = 5;
constexpr int ABRT = 6;
constexpr int BUS = 7;
constexpr int FPE = 8;
constexpr int KILL = 9;
constexpr int USR1 = 10;
constexpr int SEGV = 11;
constexpr int USR2 = 12;
constexpr int PIPE = 13;
constexpr int ALRM = 14;
constexpr int TERM = 15;
constexpr int CHLD = 17;
constexpr int CONT = 18;
constexpr int STOP = 19;
constexpr int TSTP = 20;
constexpr int TTIN = 21;
constexpr int TTOU = 22;
constexpr int URG = 23;
constexpr int XCPU = 24;
constexpr int XFSZ = 25;
constexpr int VTALRM = 26;
constexpr int PROF = 27;
constexpr int WINCH = 28;
constexpr int IO = 29;
constexpr int PWR = 30;
constexpr int SYS = 31;
constexpr int max = 64;
} // namespace sig

constexpr u64 sigbit(int signal) {
    return u64{1} << (signal - 1);
}

// Guest and host (amd64 Linux) signal numbers agree, so base/signals.h
// names them.

} // namespace crossrt::kernel
