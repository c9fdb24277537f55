// Clocks, sleeps and interval timers on the virtual clock, with NetBSD's
// clock ids and its 64-bit time_t in timespec and timeval.
#include "kernel/netbsd/sys.h"
#include "kernel/posix/itimer.h"
#include "kernel/posix/time.h"

namespace crossrt::kernel::nbsd {
namespace {

std::optional<posix::Clock> decode_clock(u64 clock) {
    constexpr u64 kClockVirtual = 1;
    constexpr u64 kClockProf = 2;
    constexpr u64 kClockThreadCputime = 0x20000000;
    constexpr u64 kClockProcessCputime = 0x40000000;
    switch (clock) {
    case kClockRealtime:
        return posix::Clock::realtime;
    case kClockMonotonic:
        return posix::Clock::monotonic;
    case kClockVirtual:
    case kClockProf:
    case kClockProcessCputime:
        return posix::Clock::process_cputime;
    case kClockThreadCputime:
        return posix::Clock::thread_cputime;
    default:
        return std::nullopt;
    }
}

// struct timeval { time_t tv_sec; suseconds_t tv_usec; } (int usec, padded
// to 16 bytes on amd64 and arm EABI, 12 bytes on 386).
u64 timeval_size(Process& m) {
    return m.cpu().arch() == Arch::i386 ? 12 : 16;
}

bool read_itimerval(Process& m, u64 at, posix::Itimerval& value) {
    u64 size = timeval_size(m);
    i64 s1 = 0, s2 = 0;
    i32 u1 = 0, u2 = 0;
    if (!m.memory().read_value(at, s1) || !m.memory().read_value(at + 8, u1) ||
        !m.memory().read_value(at + size, s2) || !m.memory().read_value(at + size + 8, u2))
        return false;
    auto ns = [](i64 s, i32 u) {
        return s < 0 || u < 0 ? 0 : static_cast<u64>(s) * kNsPerSecond + static_cast<u64>(u) * 1000;
    };
    value.interval_ns = ns(s1, u1);
    value.value_ns = ns(s2, u2);
    return true;
}

bool write_itimerval(Process& m, u64 at, const posix::Itimerval& value) {
    u64 size = timeval_size(m);
    u64 interval = value.interval_ns, left = value.value_ns;
    return m.memory().write_value(at, static_cast<i64>(interval / kNsPerSecond)) &&
           m.memory().write_value(at + 8, static_cast<i32>(interval % kNsPerSecond / 1000)) &&
           m.memory().write_value(at + size, static_cast<i64>(left / kNsPerSecond)) &&
           m.memory().write_value(at + size + 8, static_cast<i32>(left % kNsPerSecond / 1000));
}

// ITIMER_REAL 0, ITIMER_VIRTUAL 1, ITIMER_PROF 2 (ITIMER_MONOTONIC is not here).
std::optional<posix::Itimer> decode_itimer(u64 which) {
    if (which > 2)
        return std::nullopt;
    return static_cast<posix::Itimer>(which);
}

const posix::ItimervalLayout kItimerval{read_itimerval, write_itimerval};

} // namespace

bool read_timespec(Process& m, u64 address, u64& ns) {
    i64 seconds = 0;
    i32 nanoseconds = 0; // the low half of amd64's long: values below 1e9
    if (!m.memory().read_value(address, seconds) ||
        !m.memory().read_value(address + 8, nanoseconds))
        return false;
    ns = seconds < 0 || nanoseconds < 0
             ? 0
             : static_cast<u64>(seconds) * kNsPerSecond + static_cast<u64>(nanoseconds);
    return true;
}

bool write_timespec(Process& m, u64 address, u64 ns) {
    if (!m.memory().write_value(address, static_cast<i64>(ns / kNsPerSecond)))
        return false;
    if (m.word_size() == 8)
        return m.memory().write_value(address + 8, static_cast<i64>(ns % kNsPerSecond));
    return m.memory().write_value(address + 8, static_cast<i32>(ns % kNsPerSecond));
}

std::optional<u64> monotonic_from(u64 clock, u64 ns) {
    switch (clock) {
    case kClockRealtime:
        return ns >= kRealtimeOffset ? ns - kRealtimeOffset : 0;
    case kClockMonotonic:
        return ns;
    default:
        return std::nullopt;
    }
}

SysResult sys_clock_gettime(Process& m, Lwp& self, const SyscallArgs& args) {
    auto clock = decode_clock(args.a[0]);
    if (!clock)
        return SysResult::of(-err::INVAL);
    if (args.a[1] != 0 && !write_timespec(m, args.a[1], posix::clock_now(m, self, *clock)))
        return SysResult::of(-err::FAULT);
    return SysResult::of(0);
}

SysResult sys_clock_getres(Process& m, Lwp&, const SyscallArgs& args) {
    if (!decode_clock(args.a[0]))
        return SysResult::of(-err::INVAL);
    if (args.a[1] != 0 && !write_timespec(m, args.a[1], 1))
        return SysResult::of(-err::FAULT);
    return SysResult::of(0);
}

SysResult sys_gettimeofday(Process& m, Lwp& self, const SyscallArgs& args) {
    u64 now = posix::clock_now(m, self, posix::Clock::realtime);
    if (args.a[0] != 0 &&
        (!m.memory().write_value(args.a[0], static_cast<i64>(now / kNsPerSecond)) ||
         !m.memory().write_value(args.a[0] + 8, static_cast<i32>(now % kNsPerSecond / 1000))))
        return SysResult::of(-err::FAULT);
    return SysResult::of(0);
}

SysResult sys_nanosleep(Process& m, Lwp& self, const SyscallArgs& args) {
    u64 ns = 0;
    if (!read_timespec(m, args.a[0], ns))
        return SysResult::of(-err::FAULT);
    return posix::sleep_until(m, self, m.now_ns() + ns); // rem is not written
}

SysResult sys_setitimer(Process& m, Lwp&, const SyscallArgs& args) {
    auto which = decode_itimer(args.a[0]);
    if (!which)
        return SysResult::of(-err::INVAL);
    return SysResult::of(
        encode_errno(posix::setitimer_call(m, *which, args.a[1], args.a[2], kItimerval)));
}

SysResult sys_getitimer(Process& m, Lwp&, const SyscallArgs& args) {
    auto which = decode_itimer(args.a[0]);
    if (!which)
        return SysResult::of(-err::INVAL);
    return SysResult::of(encode_errno(posix::getitimer_call(m, *which, args.a[1], kItimerval)));
}

} // namespace crossrt::kernel::nbsd
