// Clocks, sleeps and interval timers on the virtual clock: 1 ns per executed
// instruction, jumping to the next deadline when every LWP waits.
#include "kernel/itimer.h"
#include "kernel/linux/sys.h"

namespace crossrt::kernel::lnx {
namespace {

enum Clock : u64 {
    kRealtime = 0,
    kMonotonic = 1,
    kProcessCputime = 2,
    kThreadCputime = 3,
    kMonotonicRaw = 4,
    kRealtimeCoarse = 5,
    kMonotonicCoarse = 6,
    kBoottime = 7,
};

std::optional<u64> clock_now(Process& m, Lwp& self, u64 clock) {
    switch (clock) {
    case kRealtime:
    case kRealtimeCoarse:
        return kRealtimeOffset + m.now_ns();
    case kMonotonic:
    case kMonotonicRaw:
    case kMonotonicCoarse:
    case kBoottime:
        return m.now_ns();
    case kProcessCputime:
        return m.cpu_ns();
    case kThreadCputime:
        return self.insns;
    default:
        return std::nullopt;
    }
}

SysResult clock_gettime(Process& m, Lwp& self, const SyscallArgs& args, bool time64) {
    auto now = clock_now(m, self, args.a[0]);
    if (!now)
        return SysResult::of(-err::INVAL);
    if (args.a[1] != 0 && !write_timespec(m, args.a[1], *now, time64))
        return SysResult::of(-err::FAULT);
    return SysResult::of(0);
}

SysResult sleep_until(Process& m, Lwp& self, u64 deadline, u64 remaining_out) {
    Wait wait;
    wait.kind = WaitKind::sleep;
    wait.deadline = deadline;
    wait.remaining_out = remaining_out;
    m.block(self, wait);
    return SysResult::blocked();
}

SysResult clock_nanosleep(Process& m, Lwp& self, const SyscallArgs& args, bool time64) {
    constexpr u64 kTimerAbstime = 1;
    auto now = clock_now(m, self, args.a[0]);
    if (!now || args.a[0] == kThreadCputime)
        return SysResult::of(-err::INVAL);
    u64 ns = 0;
    if (!read_timespec(m, args.a[2], ns, time64))
        return SysResult::of(-err::FAULT);
    if ((args.a[1] & kTimerAbstime) != 0) {
        u64 left = ns > *now ? ns - *now : 0;
        return sleep_until(m, self, m.now_ns() + left, 0);
    }
    return sleep_until(m, self, m.now_ns() + ns, args.a[3]);
}

// struct itimerval: {interval, value}, each a timeval of two words.
bool read_itimerval(Process& m, u64 at, u64& interval, u64& value) {
    u64 word = static_cast<u64>(m.word_size());
    u64 fields[4];
    for (u64 i = 0; i < 4; ++i) {
        if (!m.read_word(at + i * word, fields[i]))
            return false;
    }
    interval = fields[0] * kNsPerSecond + fields[1] * 1000;
    value = fields[2] * kNsPerSecond + fields[3] * 1000;
    return true;
}

bool write_itimerval(Process& m, u64 at, u64 interval, u64 value) {
    u64 word = static_cast<u64>(m.word_size());
    u64 fields[4] = {interval / kNsPerSecond, interval % kNsPerSecond / 1000, value / kNsPerSecond,
                     value % kNsPerSecond / 1000};
    for (u64 i = 0; i < 4; ++i) {
        if (!m.write_word(at + i * word, fields[i]))
            return false;
    }
    return true;
}

const ItimervalLayout kItimerval{read_itimerval, write_itimerval};

} // namespace

i64 to_i64(u64 value, int word_size) {
    if (word_size == 4)
        return static_cast<i32>(static_cast<u32>(value));
    return static_cast<i64>(value);
}

bool read_timespec(Process& m, u64 address, u64& ns, bool time64) {
    i64 seconds = 0, nanoseconds = 0;
    if (time64 || m.word_size() == 8) {
        if (!m.memory().read_value(address, seconds) ||
            !m.memory().read_value(address + 8, nanoseconds))
            return false;
    } else {
        i32 s = 0, n = 0;
        if (!m.memory().read_value(address, s) || !m.memory().read_value(address + 4, n))
            return false;
        seconds = s;
        nanoseconds = n;
    }
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

SysResult sys_clock_getres(Process& m, Lwp& self, const SyscallArgs& args) {
    if (!clock_now(m, self, args.a[0]))
        return SysResult::of(-err::INVAL);
    if (args.a[1] != 0 && !write_timespec(m, args.a[1], 1))
        return SysResult::of(-err::FAULT);
    return SysResult::of(0);
}

SysResult sys_gettimeofday(Process& m, Lwp&, const SyscallArgs& args) {
    u64 now = kRealtimeOffset + m.now_ns();
    u64 word = static_cast<u64>(m.word_size());
    if (args.a[0] != 0 && (!m.write_word(args.a[0], now / kNsPerSecond) ||
                           !m.write_word(args.a[0] + word, now % kNsPerSecond / 1000)))
        return SysResult::of(-err::FAULT);
    if (args.a[1] != 0 && !m.memory().write_value(args.a[1], u64{0}))
        return SysResult::of(-err::FAULT);
    return SysResult::of(0);
}

SysResult sys_time(Process& m, Lwp&, const SyscallArgs& args) {
    u64 seconds = (kRealtimeOffset + m.now_ns()) / kNsPerSecond;
    if (args.a[0] != 0 && !m.write_word(args.a[0], seconds))
        return SysResult::of(-err::FAULT);
    return SysResult::of(static_cast<i64>(seconds));
}

SysResult sys_nanosleep(Process& m, Lwp& self, const SyscallArgs& args) {
    u64 ns = 0;
    if (!read_timespec(m, args.a[0], ns))
        return SysResult::of(-err::FAULT);
    return sleep_until(m, self, m.now_ns() + ns, args.a[1]);
}

SysResult sys_clock_nanosleep(Process& m, Lwp& self, const SyscallArgs& args) {
    return clock_nanosleep(m, self, args, false);
}

SysResult sys_clock_nanosleep_time64(Process& m, Lwp& self, const SyscallArgs& args) {
    return clock_nanosleep(m, self, args, true);
}

SysResult sys_setitimer(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(set_itimer(m, args.a[0], args.a[1], args.a[2], kItimerval));
}

SysResult sys_getitimer(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(get_itimer(m, args.a[0], args.a[1], kItimerval));
}

} // namespace crossrt::kernel::lnx
