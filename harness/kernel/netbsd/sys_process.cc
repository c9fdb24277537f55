// The process: exit, ids, sched_yield, and __sysctl for what NetBSD
// programs ask at start-up (hw.ncpu, hw.pagesize, kern.osrev...).
#include "kernel/netbsd/sys.h"
#include "kernel/posix/process.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <variant>
#include <vector>

namespace crossrt::kernel::nbsd {
namespace {

constexpr u32 kCtlKern = 1;
constexpr u32 kCtlHw = 6;
constexpr u32 kKernOstype = 1;
constexpr u32 kKernOsrelease = 2;
constexpr u32 kKernOsrev = 3;
constexpr u32 kKernHostname = 10;
constexpr u32 kKernArnd = 81;
constexpr u32 kHwMachine = 1;
constexpr u32 kHwModel = 2;
constexpr u32 kHwNcpu = 3;
constexpr u32 kHwPagesize = 7;
constexpr u32 kHwMachineArch = 10;
constexpr u32 kHwNcpuonline = 16;

// NetBSD 9.3.
constexpr i32 kOsrev = 903000000;

using Value = std::variant<i32, std::string, std::vector<u8>>;

// CTL_QUERY as the last name component asks for the nodes below the rest
// (how libc's and Go's sysctlbyname turn "kern.hostname" into a MIB).
constexpr u32 kCtlQuery = static_cast<u32>(-2);
constexpr u32 kSysctlVers1 = 0x1000000;
constexpr u32 kCtlTypeNode = 1;
constexpr u32 kCtlTypeInt = 2;
constexpr u32 kCtlTypeString = 3;
constexpr u32 kCtlTypeStruct = 5;
// struct sysctlnode: the same 96 bytes on every arch (sys/sysctl.h keeps
// its pointers in 64-bit slots).
constexpr std::size_t kSysctlNodeSize = 96;
constexpr std::size_t kSysctlNameLength = 32;

// The nodes lookup answers, by parent: what a query lists.
struct SysctlNode {
    u32 parent; // 0: the top level
    u32 num;
    const char* name;
    u32 type;
};
constexpr SysctlNode kSysctlNodes[] = {
    {0, kCtlKern, "kern", kCtlTypeNode},
    {0, kCtlHw, "hw", kCtlTypeNode},
    {kCtlKern, kKernOstype, "ostype", kCtlTypeString},
    {kCtlKern, kKernOsrelease, "osrelease", kCtlTypeString},
    {kCtlKern, kKernOsrev, "osrevision", kCtlTypeInt},
    {kCtlKern, kKernHostname, "hostname", kCtlTypeString},
    {kCtlKern, kKernArnd, "arandom", kCtlTypeStruct},
    {kCtlHw, kHwMachine, "machine", kCtlTypeString},
    {kCtlHw, kHwModel, "model", kCtlTypeString},
    {kCtlHw, kHwNcpu, "ncpu", kCtlTypeInt},
    {kCtlHw, kHwPagesize, "pagesize", kCtlTypeInt},
    {kCtlHw, kHwMachineArch, "machine_arch", kCtlTypeString},
    {kCtlHw, kHwNcpuonline, "ncpuonline", kCtlTypeInt},
};

// The struct sysctlnode array a CTL_QUERY of parent returns.
std::vector<u8> query_nodes(u32 parent) {
    std::vector<u8> bytes;
    for (const SysctlNode& node : kSysctlNodes) {
        if (node.parent != parent)
            continue;
        std::vector<u8> entry(kSysctlNodeSize, 0);
        u32 flags = kSysctlVers1 | node.type;
        std::memcpy(entry.data(), &flags, 4);
        std::memcpy(entry.data() + 4, &node.num, 4);
        std::memcpy(entry.data() + 8, node.name,
                    std::min(std::strlen(node.name), kSysctlNameLength - 1));
        bytes.insert(bytes.end(), entry.begin(), entry.end());
    }
    return bytes;
}

std::string_view machine_name(Arch arch) {
    switch (arch) {
    case Arch::amd64:
        return "amd64";
    case Arch::i386:
        return "i386";
    case Arch::arm:
        return "evbarm";
    }
    return "?";
}

std::string_view machine_arch(Arch arch) {
    switch (arch) {
    case Arch::amd64:
        return "x86_64";
    case Arch::i386:
        return "i386";
    case Arch::arm:
        return "earmv7hf";
    }
    return "?";
}

// The value of a MIB, or -ENOENT / -EOPNOTSUPP as NetBSD answers unknown
// nodes (an unknown top level has no sysctl at all).
std::variant<Value, i64> lookup(Process& m, const std::vector<u32>& mib, u64 wanted) {
    if (mib.size() == 2 && mib[0] == kCtlHw) {
        switch (mib[1]) {
        case kHwNcpu:
        case kHwNcpuonline:
            return Value{i32{m.cpus()}};
        case kHwPagesize:
            return Value{static_cast<i32>(kPageSize)};
        case kHwMachine:
            return Value{std::string(machine_name(m.cpu().arch()))};
        case kHwMachineArch:
            return Value{std::string(machine_arch(m.cpu().arch()))};
        case kHwModel:
            return Value{std::string("crossrt unicorn")};
        default:
            return -err::NOENT;
        }
    }
    if (mib.size() == 2 && mib[0] == kCtlKern) {
        switch (mib[1]) {
        case kKernOstype:
            return Value{std::string("NetBSD")};
        case kKernOsrelease:
            return Value{std::string("9.3")};
        case kKernOsrev:
            return Value{kOsrev};
        case kKernHostname:
            return Value{std::string(posix::kHostname)};
        case kKernArnd: // random bytes from the seeded stream, at most 256 per call
            return Value{posix::random_bytes(m, std::min<u64>(wanted, 256))};
        default:
            return -err::NOENT;
        }
    }
    if (!mib.empty() && (mib[0] == kCtlKern || mib[0] == kCtlHw))
        return -err::NOENT;
    return -err::OPNOTSUPP;
}

std::vector<u8> bytes_of(const Value& value) {
    if (const i32* number = std::get_if<i32>(&value)) {
        std::vector<u8> bytes(4);
        std::memcpy(bytes.data(), number, 4);
        return bytes;
    }
    if (const std::string* text = std::get_if<std::string>(&value))
        return std::vector<u8>(text->c_str(), text->c_str() + text->size() + 1);
    return std::get<std::vector<u8>>(value);
}

} // namespace

SysResult sys_exit(Process& m, Lwp&, const SyscallArgs& args) {
    m.exit_process(static_cast<int>(args.a[0]));
    return SysResult::none();
}

SysResult sys_getpid(Process& m, Lwp&, const SyscallArgs&) {
    netbsd_abi(m).set_second_result(m.uc(), static_cast<u64>(m.ppid()));
    return SysResult::of(m.pid());
}

SysResult sys_getppid(Process& m, Lwp&, const SyscallArgs&) {
    return SysResult::of(m.ppid());
}

SysResult sys_getuid(Process&, Lwp&, const SyscallArgs&) {
    return SysResult::of(posix::kGuestUid);
}

namespace {
i64 id_arg(u64 value) {
    auto id = static_cast<u32>(value);
    return id == ~0u ? -1 : static_cast<i64>(id);
}
} // namespace

SysResult sys_setuid(Process&, Lwp&, const SyscallArgs& args) {
    return SysResult::of(encode_errno(posix::set_ids({id_arg(args.a[0])})));
}

SysResult sys_setreuid(Process&, Lwp&, const SyscallArgs& args) {
    return SysResult::of(encode_errno(posix::set_ids({id_arg(args.a[0]), id_arg(args.a[1])})));
}

// getgroups(size, list): the one group (gid_t is 32-bit); 0 asks how many.
SysResult sys_getgroups(Process& m, Lwp&, const SyscallArgs& args) {
    i64 size = static_cast<i32>(args.a[0]);
    if (size < 0)
        return SysResult::of(-err::INVAL);
    if (size == 0)
        return SysResult::of(1);
    return SysResult::of(
        m.memory().write_value(args.a[1], static_cast<u32>(posix::kGuestUid)) ? 1 : -err::FAULT);
}

SysResult sys_setgroups(Process&, Lwp&, const SyscallArgs&) {
    return SysResult::of(-err::PERM);
}

namespace {
constexpr u64 kRlimInfinity = 0x7fffffffffffffffull;
// RLIMIT_STACK is 3, RLIMIT_NOFILE 8.
posix::Resource resource_of(u64 resource) {
    return resource == 3   ? posix::Resource::stack
           : resource == 8 ? posix::Resource::open_files
                           : posix::Resource::other;
}
} // namespace

// struct rlimit { rlim_t cur, max; }, 64-bit on every arch.
SysResult sys_getrlimit(Process& m, Lwp&, const SyscallArgs& args) {
    if (args.a[0] > 11)
        return SysResult::of(-err::INVAL);
    posix::Rlimit limit = posix::resource_limit(m, resource_of(args.a[0]));
    auto netbsd = [](u64 value) { return value == posix::kUnlimited ? kRlimInfinity : value; };
    if (!m.memory().write_value(args.a[1], netbsd(limit.soft)) ||
        !m.memory().write_value(args.a[1] + 8, netbsd(limit.hard)))
        return SysResult::of(-err::FAULT);
    return SysResult::of(0);
}

// RLIMIT_NOFILE changes; the other limits are fixed: setting them to what
// they are succeeds, anything else is refused with EPERM rather than
// pretended.
SysResult sys_setrlimit(Process& m, Lwp&, const SyscallArgs& args) {
    if (args.a[0] > 11)
        return SysResult::of(-err::INVAL);
    posix::Rlimit want;
    if (!m.memory().read_value(args.a[1], want.soft) ||
        !m.memory().read_value(args.a[1] + 8, want.hard))
        return SysResult::of(-err::FAULT);
    auto decoded = [](u64 value) { return value >= kRlimInfinity ? posix::kUnlimited : value; };
    want = {decoded(want.soft), decoded(want.hard)};
    return SysResult::of(encode_errno(
        posix::set_resource_limit(m, resource_of(args.a[0]), want, -kernel::err::PERM)));
}

SysResult sys_sched_yield(Process&, Lwp&, const SyscallArgs&) {
    return SysResult::yield(0);
}

// __sysctl(name, namelen, oldp, oldlenp, newp, newlen)
SysResult sys_sysctl(Process& m, Lwp&, const SyscallArgs& args) {
    u64 namelen = args.a[1];
    if (namelen == 0 || namelen > 12)
        return SysResult::of(-err::INVAL);
    std::vector<u32> mib(namelen);
    if (!m.memory().read(args.a[0], mib.data(), mib.size() * 4))
        return SysResult::of(-err::FAULT);
    bool query = mib.back() == kCtlQuery;
    if (query) {
        // The query node (newp) names the version the caller speaks.
        u32 flags = 0;
        if (args.a[4] == 0 || !m.memory().read_value(args.a[4], flags))
            return SysResult::of(-err::INVAL);
        if ((flags & 0xff000000) != kSysctlVers1 || mib.size() > 2 ||
            (mib.size() == 2 && mib[0] != kCtlKern && mib[0] != kCtlHw))
            return SysResult::of(-err::INVAL);
    } else if (args.a[4] != 0) {
        return SysResult::of(-err::PERM); // nothing is settable
    }
    u64 capacity = 0;
    if (args.a[3] != 0 && !m.read_word(args.a[3], capacity))
        return SysResult::of(-err::FAULT);
    std::vector<u8> bytes;
    if (query) {
        bytes = query_nodes(mib.size() == 1 ? 0 : mib[0]);
    } else {
        auto found = lookup(m, mib, args.a[2] != 0 ? capacity : 256);
        if (const i64* error = std::get_if<i64>(&found))
            return SysResult::of(*error);
        bytes = bytes_of(std::get<Value>(found));
    }
    i64 result = 0;
    if (args.a[2] != 0) {
        u64 n = std::min<u64>(capacity, bytes.size());
        if (!m.memory().write(args.a[2], bytes.data(), n))
            return SysResult::of(-err::FAULT);
        if (n < bytes.size())
            result = -err::NOMEM;
    }
    if (args.a[3] != 0 && !m.write_word(args.a[3], bytes.size()))
        return SysResult::of(-err::FAULT);
    return SysResult::of(result);
}

} // namespace crossrt::kernel::nbsd
