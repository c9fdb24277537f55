// futex: WAIT, WAKE and their BITSET forms, private or not (one process:
// the same thing), with relative (WAIT) or absolute (WAIT_BITSET) timeouts
// on the virtual clock.
#include "kernel/linux/sys.h"

namespace crossrt::kernel::lnx {
namespace {

constexpr u64 kWait = 0;
constexpr u64 kWake = 1;
constexpr u64 kRequeue = 3;
constexpr u64 kCmpRequeue = 4;
constexpr u64 kWaitBitset = 9;
constexpr u64 kWakeBitset = 10;
constexpr u64 kPrivate = 128;
constexpr u64 kClockRealtime = 256;

SysResult futex(Process& m, Lwp& self, const SyscallArgs& args, bool time64) {
    u64 address = args.a[0];
    u64 op = args.a[1] & ~(kPrivate | kClockRealtime);
    u32 value = static_cast<u32>(args.a[2]);
    switch (op) {
    case kWait:
    case kWaitBitset: {
        u32 bitset = op == kWaitBitset ? static_cast<u32>(args.a[5]) : ~u32{0};
        if (bitset == 0 || address % 4 != 0)
            return SysResult::of(-err::INVAL);
        u32 current = 0;
        if (!m.memory().read_value(address, current))
            return SysResult::of(-err::FAULT);
        if (current != value)
            return SysResult::of(-err::AGAIN);
        Wait wait;
        wait.kind = WaitKind::futex;
        wait.address = address;
        wait.bitset = bitset;
        wait.sequence = m.next_futex_sequence();
        if (args.a[3] != 0) {
            u64 ns = 0;
            if (!read_timespec(m, args.a[3], ns, time64))
                return SysResult::of(-err::FAULT);
            if (op == kWait) {
                wait.deadline = m.now_ns() + ns;
            } else {
                // Absolute: CLOCK_MONOTONIC, or CLOCK_REALTIME with the flag.
                u64 offset = (args.a[1] & kClockRealtime) != 0 ? kRealtimeOffset : 0;
                u64 monotonic = ns >= offset ? ns - offset : 0;
                wait.deadline = monotonic > m.now_ns() ? monotonic : m.now_ns();
            }
        }
        wait.restartable = !wait.deadline; // no timeout: ERESTARTSYS semantics
        m.block(self, wait);
        return SysResult::blocked();
    }
    case kWake:
    case kWakeBitset: {
        u32 bitset = op == kWakeBitset ? static_cast<u32>(args.a[5]) : ~u32{0};
        if (bitset == 0)
            return SysResult::of(-err::INVAL);
        int count = static_cast<int>(std::min<u64>(value, 0x7fffffff));
        return SysResult::of(m.futex_wake(address, count, bitset));
    }
    case kRequeue:
    case kCmpRequeue:
    default:
        return SysResult::of(m.unsupported(args, op == kRequeue || op == kCmpRequeue
                                                     ? "futex (FUTEX_REQUEUE)"
                                                     : "futex (this op)"));
    }
}

} // namespace

SysResult sys_futex(Process& m, Lwp& self, const SyscallArgs& args) {
    return futex(m, self, args, false);
}

SysResult sys_futex_time64(Process& m, Lwp& self, const SyscallArgs& args) {
    return futex(m, self, args, true);
}

} // namespace crossrt::kernel::lnx
