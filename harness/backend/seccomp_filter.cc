#include "backend/seccomp_filter.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <unistd.h>

namespace crossrt {
namespace {

// The namespace flags of clone and unshare: a guest that made its own user
// namespace would hold every capability there, and with it the kernel's
// namespaced attack surface (mounts, netfilter, ...) that a test never needs.
constexpr unsigned long kNamespaceFlags[] = {
    CLONE_NEWNS,   CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
    CLONE_NEWUSER, CLONE_NEWPID,    CLONE_NEWNET,
};
// unshare only (in clone's flags this bit is CSIGNAL's).
constexpr unsigned long kNewTime = 0x00000080;

struct FilterContext {
    scmp_filter_ctx context = seccomp_init(SCMP_ACT_ALLOW);
    ~FilterContext() {
        if (context != nullptr)
            seccomp_release(context);
    }
};

std::vector<sock_filter> build_program(bool ipc_namespace, std::string& why_not) {
    FilterContext filter;
    scmp_filter_ctx context = filter.context;
    if (context == nullptr) {
        why_not = "seccomp_init failed";
        return {};
    }
    int failed = 0;
    // Another architecture's system call numbers would bypass the rules:
    // every ABI this host's kernel runs is named, any other kills.
    failed |= seccomp_attr_set(context, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
    for (std::uint32_t arch : {SCMP_ARCH_X86, SCMP_ARCH_X32}) {
        int added = seccomp_arch_add(context, arch);
        if (added != 0 && added != -EEXIST)
            failed |= added;
    }
    std::vector<DeniedCall> calls = denied_calls();
    if (!ipc_namespace) {
        calls.insert(calls.end(), denied_without_ipc_namespace().begin(),
                     denied_without_ipc_namespace().end());
    }
    for (const DeniedCall& call : calls) {
        int number = seccomp_syscall_resolve_name(call.name);
        if (number == __NR_SCMP_ERROR) {
            why_not = fmt::format("libseccomp does not know {}", call.name);
            return {};
        }
        failed |= seccomp_rule_add(context, SCMP_ACT_ERRNO(call.error), number, 0);
    }
    for (unsigned long flag : kNamespaceFlags) {
        for (int call : {SCMP_SYS(clone), SCMP_SYS(unshare)}) {
            failed |= seccomp_rule_add(context, SCMP_ACT_ERRNO(EPERM), call, 1,
                                       SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag));
        }
    }
    failed |= seccomp_rule_add(context, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(unshare), 1,
                               SCMP_A0(SCMP_CMP_MASKED_EQ, kNewTime, kNewTime));
    // ptrace may reach only what the guest made itself: PTRACE_TRACEME and
    // requests on a tracee it already has; attaching to another process is
    // refused (its pid namespace holds only its own processes anyway).
    for (long request : {PTRACE_ATTACH, PTRACE_SEIZE}) {
        failed |= seccomp_rule_add(context, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ptrace), 1,
                                   SCMP_A0(SCMP_CMP_EQ, static_cast<scmp_datum_t>(request)));
    }
    if (failed != 0) {
        why_not = fmt::format("a seccomp rule was refused: {}", std::strerror(-failed));
        return {};
    }
    // libseccomp 2.5 exports to a file descriptor only.
    int fd = memfd_create("crossrt-seccomp", MFD_CLOEXEC);
    if (fd < 0) {
        why_not = fmt::format("memfd_create: {}", std::strerror(errno));
        return {};
    }
    std::vector<sock_filter> program;
    if (seccomp_export_bpf(context, fd) == 0) {
        off_t size = lseek(fd, 0, SEEK_END);
        program.resize(static_cast<std::size_t>(size) / sizeof(sock_filter));
        if (pread(fd, program.data(), program.size() * sizeof(sock_filter), 0) !=
            static_cast<ssize_t>(program.size() * sizeof(sock_filter)))
            program.clear();
    }
    close(fd);
    if (program.empty())
        why_not = "libseccomp could not export the filter";
    return program;
}

} // namespace

const std::vector<DeniedCall>& denied_calls() {
    static const std::vector<DeniedCall> calls = {
        // Not namespaced: the kernel's keyrings are per user, shared with
        // every process of the guest's host uid.
        {"keyctl", EPERM, "kernel keyrings are shared by every process of a host user"},
        {"add_key", EPERM, "kernel keyrings are shared by every process of a host user"},
        {"request_key", EPERM, "kernel keyrings are shared by every process of a host user"},
        // Kernel attack surface a test never needs.
        {"bpf", EPERM, "loads programs into the host's kernel"},
        {"perf_event_open", EPERM, "observes the host's CPUs and kernel"},
        {"userfaultfd", EPERM, "a tool of kernel exploits"},
        {"io_uring_setup", ENOSYS, "a large kernel surface; callers fall back on ENOSYS"},
        {"io_uring_enter", ENOSYS, "a large kernel surface; callers fall back on ENOSYS"},
        {"io_uring_register", ENOSYS, "a large kernel surface; callers fall back on ENOSYS"},
        // clone3's flags live in memory that seccomp cannot read, so its
        // namespace flags cannot be told apart: libc falls back to clone.
        {"clone3", ENOSYS, "its namespace flags are out of the filter's sight; libc uses clone"},
        {"setns", EPERM, "joins another namespace"},
        // The whole machine's: privileged anyway, refused whatever the
        // guest's capabilities are.
        {"kexec_load", EPERM, "replaces the host's kernel"},
        {"kexec_file_load", EPERM, "replaces the host's kernel"},
        {"init_module", EPERM, "loads a kernel module"},
        {"finit_module", EPERM, "loads a kernel module"},
        {"delete_module", EPERM, "unloads a kernel module"},
        {"reboot", EPERM, "reboots the host"},
        {"swapon", EPERM, "changes the host's swap"},
        {"swapoff", EPERM, "changes the host's swap"},
        {"acct", EPERM, "switches the host's process accounting"},
        {"syslog", EPERM, "reads the host's kernel log"},
        {"quotactl", EPERM, "changes the host's disk quotas"},
        {"iopl", EPERM, "reaches the host's I/O ports"},
        {"ioperm", EPERM, "reaches the host's I/O ports"},
        {"settimeofday", EPERM, "sets the host's clock"},
        {"clock_settime", EPERM, "sets the host's clock"},
        {"clock_adjtime", EPERM, "adjusts the host's clock"},
        {"adjtimex", EPERM, "adjusts the host's clock"},
        {"vhangup", EPERM, "hangs up the host's terminal"},
        {"open_by_handle_at", EPERM, "opens host files by handle, past every path check"},
        {"lookup_dcookie", EPERM, "names host files from profiling cookies"},
        // Mounts: the guest has no capability in its mount namespace's
        // owner, refused here too.
        {"mount", EPERM, "changes mounts (refused whatever the guest's capabilities)"},
        {"umount", EPERM, "changes mounts (refused whatever the guest's capabilities)"},
        {"umount2", EPERM, "changes mounts (refused whatever the guest's capabilities)"},
        {"pivot_root", EPERM, "changes mounts (refused whatever the guest's capabilities)"},
        {"fsopen", EPERM, "changes mounts (refused whatever the guest's capabilities)"},
        {"fsconfig", EPERM, "changes mounts (refused whatever the guest's capabilities)"},
        {"fsmount", EPERM, "changes mounts (refused whatever the guest's capabilities)"},
        {"fspick", EPERM, "changes mounts (refused whatever the guest's capabilities)"},
        {"move_mount", EPERM, "changes mounts (refused whatever the guest's capabilities)"},
        {"open_tree", EPERM, "changes mounts (refused whatever the guest's capabilities)"},
        {"mount_setattr", EPERM, "changes mounts (refused whatever the guest's capabilities)"},
    };
    return calls;
}

const std::vector<DeniedCall>& denied_without_ipc_namespace() {
    static const std::vector<DeniedCall> calls = [] {
        std::vector<DeniedCall> list;
        // x86's ipc() multiplexes them all on 32-bit.
        for (const char* name : {"shmget", "shmat", "shmdt", "shmctl", "msgget", "msgsnd", "msgrcv",
                                 "msgctl", "semget", "semop", "semtimedop", "semctl", "ipc"})
            list.push_back({name, EPERM, "System V IPC objects would be the host's"});
        return list;
    }();
    return calls;
}

const std::vector<sock_filter>& guest_seccomp_program(bool ipc_namespace) {
    auto build = [](bool own_ipc) {
        std::string why_not;
        std::vector<sock_filter> built = build_program(own_ipc, why_not);
        if (built.empty())
            fmt::print(stderr, "crossrt: note: no seccomp filter for guests ({})\n", why_not);
        return built;
    };
    if (ipc_namespace) {
        static const std::vector<sock_filter> program = build(true);
        return program;
    }
    static const std::vector<sock_filter> program = build(false);
    return program;
}

bool apply_seccomp(const std::vector<sock_filter>& program) noexcept {
    if (program.empty())
        return true;
    sock_fprog fprog{static_cast<unsigned short>(program.size()),
                     const_cast<sock_filter*>(program.data())};
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0) == 0;
}

} // namespace crossrt
