// Process and thread identity, limits, thread pointers.
#include "kernel/abi/linux_386.h"
#include "kernel/linux/sys.h"
#include "kernel/posix/process.h"

#include <fmt/format.h>

namespace crossrt::kernel::lnx {

SysResult sys_exit(Process& m, Lwp& self, const SyscallArgs& args) {
    m.exit_lwp(self, static_cast<int>(args.a[0] & 0xff));
    return SysResult::none();
}

SysResult sys_exit_group(Process& m, Lwp&, const SyscallArgs& args) {
    m.exit_process(static_cast<int>(args.a[0] & 0xff));
    return SysResult::none();
}

SysResult sys_getpid(Process& m, Lwp&, const SyscallArgs&) {
    return SysResult::of(m.pid());
}

SysResult sys_gettid(Process&, Lwp& self, const SyscallArgs&) {
    return SysResult::of(self.tid);
}

SysResult sys_getppid(Process& m, Lwp&, const SyscallArgs&) {
    return SysResult::of(m.ppid());
}

SysResult sys_getuid(Process&, Lwp&, const SyscallArgs&) {
    return SysResult::of(posix::kGuestUid);
}

SysResult sys_set_tid_address(Process&, Lwp& self, const SyscallArgs& args) {
    self.clear_child_tid = args.a[0];
    return SysResult::of(self.tid);
}

SysResult sys_set_robust_list(Process&, Lwp&, const SyscallArgs&) {
    return SysResult::of(0);
}

namespace {
// RLIMIT_STACK is 3, RLIMIT_NOFILE 7; RLIM_INFINITY is all ones in the
// field's width.
posix::Resource resource_of(u64 resource) {
    return resource == 3   ? posix::Resource::stack
           : resource == 7 ? posix::Resource::open_files
                           : posix::Resource::other;
}

void rlimit_of(Process& m, u64 resource, u64& soft, u64& hard, u64 infinity) {
    posix::Rlimit limit = posix::resource_limit(m, resource_of(resource));
    auto encoded = [infinity](u64 value) { return value == posix::kUnlimited ? infinity : value; };
    soft = encoded(limit.soft);
    hard = encoded(limit.hard);
}

// A Unicorn register access that failed: the kernel cannot go on honestly.
SysResult register_failure(Process& m, std::string_view what, uc_err error) {
    m.end_run(EndKind::error, 0, fmt::format("{}: {}", what, uc_strerror(error)));
    return SysResult::none();
}
} // namespace

// prlimit64(pid, resource, new, old): the old limits first, then the new
// ones; RLIMIT_NOFILE changes, the others are fixed and a change to them
// is accepted and ignored (a note says so).
SysResult sys_prlimit64(Process& m, Lwp&, const SyscallArgs& args) {
    if (args.a[0] != 0 && args.a[0] != static_cast<u64>(m.pid()))
        return SysResult::of(-err::SRCH);
    if (args.a[1] > 15)
        return SysResult::of(-err::INVAL);
    posix::Rlimit want;
    if (args.a[2] != 0 && (!m.memory().read_value(args.a[2], want.soft) ||
                           !m.memory().read_value(args.a[2] + 8, want.hard)))
        return SysResult::of(-err::FAULT);
    if (args.a[3] != 0) {
        u64 soft, hard;
        rlimit_of(m, args.a[1], soft, hard, ~u64{0});
        if (!m.memory().write_value(args.a[3], soft) ||
            !m.memory().write_value(args.a[3] + 8, hard))
            return SysResult::of(-err::FAULT);
    }
    if (args.a[2] == 0)
        return SysResult::of(0);
    auto decoded = [](u64 value) { return value == ~u64{0} ? posix::kUnlimited : value; };
    want = {decoded(want.soft), decoded(want.hard)};
    i64 result = posix::set_resource_limit(m, resource_of(args.a[1]), want, 1);
    if (result == 1) {
        m.note_once(args.nr, fmt::format("prlimit64: resource {} is fixed here; the new limit "
                                         "is accepted and ignored",
                                         args.a[1]));
        result = 0;
    }
    return SysResult::of(result);
}

// setrlimit(resource, struct rlimit*): as prlimit64 on the caller, in
// words of the arch (RLIM_INFINITY all ones in them).
SysResult sys_setrlimit(Process& m, Lwp&, const SyscallArgs& args) {
    if (args.a[0] > 15)
        return SysResult::of(-err::INVAL);
    u64 infinity = m.word_size() == 8 ? ~u64{0} : 0xffffffffull;
    u64 soft = 0, hard = 0;
    if (!m.read_word(args.a[1], soft) ||
        !m.read_word(args.a[1] + static_cast<u64>(m.word_size()), hard))
        return SysResult::of(-err::FAULT);
    auto decoded = [infinity](u64 value) { return value == infinity ? posix::kUnlimited : value; };
    i64 result =
        posix::set_resource_limit(m, resource_of(args.a[0]), {decoded(soft), decoded(hard)}, 1);
    return SysResult::of(result == 1 ? 0 : result);
}

SysResult sys_getrlimit(Process& m, Lwp&, const SyscallArgs& args) {
    u64 infinity = m.word_size() == 8 ? ~u64{0} : 0xffffffffull;
    u64 soft, hard;
    rlimit_of(m, args.a[0], soft, hard, infinity);
    if (!m.write_word(args.a[1], soft) ||
        !m.write_word(args.a[1] + static_cast<u64>(m.word_size()), hard))
        return SysResult::of(-err::FAULT);
    return SysResult::of(0);
}

namespace {

// The LWP a sched_{get,set}affinity pid names: 0 is the caller, else a tid
// of this process (other processes' LWPs are not reachable yet).
Lwp* affinity_target(Process& m, Lwp& self, u64 pid) {
    if (pid == 0)
        return &self;
    for (const auto& lwp : m.lwps()) {
        if (lwp->state != LwpState::exited && static_cast<u64>(lwp->tid) == pid)
            return lwp.get();
    }
    return nullptr;
}

// As Linux: the mask is cpumask_size() bytes, whole longs for the CPUs
// there are; a smaller buffer is EINVAL, so is one not a whole long.
u64 cpumask_bytes(const Process& m) {
    u64 word = static_cast<u64>(m.word_size());
    u64 words = (static_cast<u64>(m.cpus()) + word * 8 - 1) / (word * 8);
    return words * word;
}

} // namespace

SysResult sys_sched_getaffinity(Process& m, Lwp& self, const SyscallArgs& args) {
    u64 size = args.a[1];
    if (size * 8 < static_cast<u64>(m.cpus()) || size % static_cast<u64>(m.word_size()) != 0)
        return SysResult::of(-err::INVAL);
    Lwp* target = affinity_target(m, self, args.a[0]);
    if (target == nullptr)
        return SysResult::of(-err::SRCH);
    u64 length = std::min(size, cpumask_bytes(m));
    std::vector<u8> mask(length, 0);
    u64 bits = target->affinity & m.all_cpus();
    for (u64 i = 0; i < length && i < 8; ++i)
        mask[i] = static_cast<u8>(bits >> (8 * i));
    if (!m.memory().write(args.a[2], mask.data(), mask.size()))
        return SysResult::of(-err::FAULT);
    return SysResult::of(static_cast<i64>(length));
}

SysResult sys_sched_setaffinity(Process& m, Lwp& self, const SyscallArgs& args) {
    Lwp* target = affinity_target(m, self, args.a[0]);
    if (target == nullptr)
        return SysResult::of(-err::SRCH);
    u64 length = std::min<u64>(args.a[1], 8);
    std::vector<u8> mask(length, 0);
    if (!m.memory().read(args.a[2], mask.data(), mask.size()))
        return SysResult::of(-err::FAULT);
    u64 bits = 0;
    for (u64 i = 0; i < length; ++i)
        bits |= static_cast<u64>(mask[i]) << (8 * i);
    // No CPU of the ones there are: EINVAL, as Linux.
    if ((bits & m.all_cpus()) == 0)
        return SysResult::of(-err::INVAL);
    target->affinity = bits & m.all_cpus();
    return SysResult::of(0);
}

SysResult sys_sched_yield(Process&, Lwp&, const SyscallArgs&) {
    return SysResult::yield(0);
}

SysResult sys_arch_prctl(Process& m, Lwp& self, const SyscallArgs& args) {
    constexpr u64 kSetGs = 0x1001, kSetFs = 0x1002, kGetFs = 0x1003, kGetGs = 0x1004;
    u64 value = 0;
    switch (args.a[0]) {
    case kSetFs:
        return SysResult::of(linux_abi(m).set_thread_pointer(m, self, args.a[1]));
    case kSetGs:
        if (uc_err e = uc_reg_write(m.uc(), UC_X86_REG_GS_BASE, &args.a[1]); e != UC_ERR_OK)
            return register_failure(m, "arch_prctl: writing GS_BASE", e);
        return SysResult::of(0);
    case kGetFs:
        if (uc_err e = uc_reg_read(m.uc(), UC_X86_REG_FS_BASE, &value); e != UC_ERR_OK)
            return register_failure(m, "arch_prctl: reading FS_BASE", e);
        return SysResult::of(m.memory().write_value(args.a[1], value) ? 0 : -err::FAULT);
    case kGetGs:
        if (uc_err e = uc_reg_read(m.uc(), UC_X86_REG_GS_BASE, &value); e != UC_ERR_OK)
            return register_failure(m, "arch_prctl: reading GS_BASE", e);
        return SysResult::of(m.memory().write_value(args.a[1], value) ? 0 : -err::FAULT);
    default:
        return SysResult::of(-err::INVAL);
    }
}

SysResult sys_set_thread_area(Process& m, Lwp& self, const SyscallArgs& args) {
    return SysResult::of(i386_set_thread_area(m, self, args.a[0]));
}

SysResult sys_modify_ldt(Process& m, Lwp&, const SyscallArgs& args) {
    return SysResult::of(i386_modify_ldt(m, args.a[0], args.a[1], args.a[2]));
}

SysResult sys_arm_set_tls(Process& m, Lwp& self, const SyscallArgs& args) {
    return SysResult::of(linux_abi(m).set_thread_pointer(m, self, args.a[0]));
}

SysResult sys_arm_cacheflush(Process&, Lwp&, const SyscallArgs&) {
    return SysResult::of(0);
}

SysResult sys_prctl(Process& m, Lwp& self, const SyscallArgs& args) {
    constexpr u64 kGetKeepCaps = 7, kSetKeepCaps = 8, kSetName = 15, kGetName = 16;
    if (args.a[0] == kGetKeepCaps)
        return SysResult::of(self.keep_caps ? 1 : 0);
    if (args.a[0] == kSetKeepCaps) {
        if (args.a[1] > 1)
            return SysResult::of(-err::INVAL);
        self.keep_caps = args.a[1] == 1;
        return SysResult::of(0);
    }
    if (args.a[0] == kSetName)
        return SysResult::of(0);
    if (args.a[0] == kGetName) {
        const char name[16] = "guest";
        return SysResult::of(m.memory().write(args.a[1], name, sizeof name) ? 0 : -err::FAULT);
    }
    return SysResult::of(-err::INVAL);
}

} // namespace crossrt::kernel::lnx
