// Clocks, sleeps and interval timers: Linux's clock ids, struct timespec
// (word-sized fields, or 64-bit ones for the *_time64 calls), timeval and
// itimerval around posix/time.h and posix/itimer.h.
#include "kernel/linux/sys.h"
#include "kernel/posix/itimer.h"
#include "kernel/posix/time.h"

namespace crossrt::kernel::lnx {
namespace {

std::optional<posix::Clock> decode_clock(u64 clock) {
    switch (clock) {
    case 0: // CLOCK_REALTIME
    case 5: // CLOCK_REALTIME_COARSE
        return posix::Clock::realtime;
    case 1: // CLOCK_MONOTONIC
    case 4: // CLOCK_MONOTONIC_RAW
    case 6: // CLOCK_MONOTONIC_COARSE
    case 7: // CLOCK_BOOTTIME
        return posix::Clock::monotonic;
    case 2: // CLOCK_PROCESS_CPUTIME_ID
        return posix::Clock::process_cputime;
    case 3: // CLOCK_THREAD_CPUTIME_ID
        return posix::Clock::thread_cputime;
    default:
        return std::nullopt;
    }
}

SysResult clock_gettime(Process& m, Lwp& self, const SyscallArgs& args, bool time64) {
    auto clock = decode_clock(args.a[0]);
    if (!clock)
        return SysResult::of(-err::INVAL);
    if (args.a[1] != 0 && !write_timespec(m, args.a[1], posix::clock_now(m, self, *clock), time64))
        return SysResult::of(-err::FAULT);
    return SysResult::of(0);
}

SysResult clock_nanosleep(Process& m, Lwp& self, const SyscallArgs& args, bool time64) {
    constexpr u64 kTimerAbstime = 1;
    auto clock = decode_clock(args.a[0]);
    if (!clock || *clock == posix::Clock::thread_cputime)
        return SysResult::of(-err::INVAL);
    u64 ns = 0;
    if (!read_timespec(m, args.a[2], ns, time64))
        return SysResult::of(-err::FAULT);
    if ((args.a[1] & kTimerAbstime) != 0)
        return posix::sleep_until(m, self, posix::deadline_of(m, self, *clock, ns));
    return posix::sleep_until(m, self, m.now_ns() + ns, args.a[3]);
}

// struct itimerval: {interval, value}, each a timeval of two words.
bool read_itimerval(Process& m, u64 at, posix::Itimerval& value) {
    u64 word = static_cast<u64>(m.word_size());
    u64 fields[4];
    for (u64 i = 0; i < 4; ++i) {
        if (!m.read_word(at + i * word, fields[i]))
            return false;
    }
    value.interval_ns = fields[0] * kNsPerSecond + fields[1] * 1000;
    value.value_ns = fields[2] * kNsPerSecond + fields[3] * 1000;
    return true;
}

bool write_itimerval(Process& m, u64 at, const posix::Itimerval& value) {
    u64 word = static_cast<u64>(m.word_size());
    u64 fields[4] = {value.interval_ns / kNsPerSecond, value.interval_ns % kNsPerSecond / 1000,
                     value.value_ns / kNsPerSecond, value.value_ns % kNsPerSecond / 1000};
    for (u64 i = 0; i < 4; ++i) {
        if (!m.write_word(at + i * word, fields[i]))
            return false;
    }
    return true;
}

// ITIMER_REAL 0, ITIMER_VIRTUAL 1, ITIMER_PROF 2.
std::optional<posix::Itimer> decode_itimer(u64 which) {
    if (which > 2)
        return std::nullopt;
    return static_cast<posix::Itimer>(which);
}

const posix::ItimervalLayout kItimerval{read_itimerval, write_itimerval};

} // namespace

bool read_time_pair(Process& m, u64 address, i64& seconds, i64& fraction, bool time64) {
    if (time64 || m.word_size() == 8) {
        return m.memory().read_value(address, seconds) &&
               m.memory().read_value(address + 8, fraction);
    }
    i32 s = 0, f = 0;
    if (!m.memory().read_value(address, s) || !m.memory().read_value(address + 4, f))
        return false;
    seconds = s;
    fraction = f;
    return true;
}

bool read_timespec(Process& m, u64 address, u64& ns, bool time64) {
    i64 seconds = 0, nanoseconds = 0;
    if (!read_time_pair(m, address, seconds, nanoseconds, time64))
        return false;
    if (seconds < 0 || nanoseconds < 0)
        ns = 0;
    else
        ns = static_cast<u64>(seconds) * kNsPerSecond + static_cast<u64>(nanoseconds);
    return true;
}

bool write_timespec(Process& m, u64 address, u64 ns, bool time64) {
    if (time64 || m.word_size() == 8) {
        return m.memory().write_value(address, ns / kNsPerSecond) &&
               m.memory().write_value(address + 8, ns % kNsPerSecond);
    }
    return m.memory().write_value(address, static_cast<u32>(ns / kNsPerSecond)) &&
           m.memory().write_value(address + 4, static_cast<u32>(ns % kNsPerSecond));
}

SysResult sys_clock_gettime(Process& m, Lwp& self, const SyscallArgs& args) {
    return clock_gettime(m, self, args, false);
}

SysResult sys_clock_gettime64(Process& m, Lwp& self, const SyscallArgs& args) {
    return clock_gettime(m, self, args, true);
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
    u64 word = static_cast<u64>(m.word_size());
    if (args.a[0] != 0 && (!m.write_word(args.a[0], now / kNsPerSecond) ||
                           !m.write_word(args.a[0] + word, now % kNsPerSecond / 1000)))
        return SysResult::of(-err::FAULT);
    if (args.a[1] != 0 && !m.memory().write_value(args.a[1], u64{0}))
        return SysResult::of(-err::FAULT);
    return SysResult::of(0);
}

SysResult sys_time(Process& m, Lwp& self, const SyscallArgs& args) {
    u64 seconds = posix::clock_now(m, self, posix::Clock::realtime) / kNsPerSecond;
    if (args.a[0] != 0 && !m.write_word(args.a[0], seconds))
        return SysResult::of(-err::FAULT);
    return SysResult::of(static_cast<i64>(seconds));
}

SysResult sys_nanosleep(Process& m, Lwp& self, const SyscallArgs& args) {
    u64 ns = 0;
    if (!read_timespec(m, args.a[0], ns))
        return SysResult::of(-err::FAULT);
    return posix::sleep_until(m, self, m.now_ns() + ns, args.a[1]);
}

SysResult sys_clock_nanosleep(Process& m, Lwp& self, const SyscallArgs& args) {
    return clock_nanosleep(m, self, args, false);
}

SysResult sys_clock_nanosleep_time64(Process& m, Lwp& self, const SyscallArgs& args) {
    return clock_nanosleep(m, self, args, true);
}

SysResult sys_setitimer(Process& m, Lwp&, const SyscallArgs& args) {
    auto which = decode_itimer(args.a[0]);
    if (!which)
        return SysResult::of(-err::INVAL);
    return SysResult::of(posix::setitimer_call(m, *which, args.a[1], args.a[2], kItimerval));
}

SysResult sys_getitimer(Process& m, Lwp&, const SyscallArgs& args) {
    auto which = decode_itimer(args.a[0]);
    if (!which)
        return SysResult::of(-err::INVAL);
    return SysResult::of(posix::getitimer_call(m, *which, args.a[1], kItimerval));
}

} // namespace crossrt::kernel::lnx
