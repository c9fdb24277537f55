// Processes with Linux's numbers: fork, vfork and clone without CLONE_VM
// (Process::fork), execve of a static binary of the run's tree, wait4 and
// waitid (posix/wait.h) with Linux's status word and siginfo.
#include "kernel/linux/sys.h"
#include "kernel/posix/args.h"
#include "kernel/posix/fs.h"
#include "kernel/posix/process.h"
#include "kernel/posix/wait.h"

#include <cstring>
#include <fmt/format.h>

namespace crossrt::kernel::lnx {
namespace {

constexpr u64 kCloneVm = 0x100;
constexpr u64 kCloneVfork = 0x4000;
constexpr u64 kCloneThread = 0x10000;
constexpr u64 kCloneParentSettid = 0x100000;
constexpr u64 kCloneChildCleartid = 0x200000;
constexpr u64 kCloneChildSettid = 0x1000000;

constexpr u64 kWnohang = 1;
constexpr u64 kWexited = 4;
constexpr u64 kWnowait = 0x01000000;

void child_returns_zero(Process& child, u64 stack) {
    linux_abi(child).start_child(child.uc(), stack);
}

// fork, vfork and a process-making clone: the child's pid, or -errno. A
// vfork child gets a copy of the memory, as a fork child does: a program
// that uses vfork as POSIX allows (execve or _exit next) cannot tell.
SysResult fork_process(Process& m, Lwp& self, u64 flags, u64 stack, u64 parent_tid, u64 child_tid) {
    i64 error = 0;
    Process* child = m.fork(self, child_returns_zero, stack, error);
    if (child == nullptr)
        return SysResult::of(error);
    Lwp& lwp = *child->lwps().front();
    if ((flags & kCloneParentSettid) != 0)
        m.memory().write_value(parent_tid, static_cast<u32>(child->pid()));
    if ((flags & kCloneChildSettid) != 0)
        child->memory().write_value(child_tid, static_cast<u32>(lwp.tid));
    if ((flags & kCloneChildCleartid) != 0)
        lwp.clear_child_tid = child_tid;
    return SysResult::of(child->pid());
}

// struct rusage: all zero (no accounting here); 144 bytes on amd64, 72 on
// 386 and arm.
bool write_rusage(Process& m, u64 address) {
    if (address == 0)
        return true;
    std::vector<u8> zero(m.word_size() == 8 ? 144 : 72, 0);
    return m.memory().write(address, zero.data(), zero.size());
}

i64 write_wait4(Process& m, const Wait& wait, const ChildEnd& end) {
    if (wait.events_out != 0 && !m.memory().write_value(wait.events_out, posix::wait_status(end)))
        return -err::FAULT;
    if (!write_rusage(m, wait.address))
        return -err::FAULT;
    return end.pid;
}

// siginfo_t for SIGCHLD: signo, errno, code, then pid, uid, status at the
// union (offset 16 on amd64, 12 on 386 and arm).
std::vector<u8> child_siginfo(const Process& m, const ChildEnd* end) {
    std::vector<u8> info(128, 0);
    if (end == nullptr)
        return info; // WNOHANG and nobody ended: si_pid 0
    auto put = [&](std::size_t offset, u32 value) { std::memcpy(info.data() + offset, &value, 4); };
    std::size_t fields = m.word_size() == 8 ? 16 : 12;
    put(0, sig::CHLD);
    put(8, end->signaled ? 2 : 1); // CLD_KILLED, CLD_EXITED
    put(fields, static_cast<u32>(end->pid));
    put(fields + 4, posix::kGuestUid);
    put(fields + 8, static_cast<u32>(end->status));
    return info;
}

i64 write_waitid(Process& m, const Wait& wait, const ChildEnd& end) {
    std::vector<u8> info = child_siginfo(m, &end);
    if (wait.events_out != 0 && !m.memory().write(wait.events_out, info.data(), info.size()))
        return -err::FAULT;
    if (!write_rusage(m, wait.address))
        return -err::FAULT;
    return 0;
}

} // namespace

SysResult sys_fork(Process& m, Lwp& self, const SyscallArgs&) {
    return fork_process(m, self, 0, 0, 0, 0);
}

SysResult sys_clone_process(Process& m, Lwp& self, const SyscallArgs& args) {
    u64 flags = args.a[0];
    bool amd64 = m.cpu().arch() == Arch::amd64;
    u64 child_tid = amd64 ? args.a[3] : args.a[4];
    return fork_process(m, self, flags, args.a[1], args.a[2], child_tid);
}

bool clone_makes_process(u64 flags) {
    return (flags & kCloneThread) == 0 && ((flags & kCloneVm) == 0 || (flags & kCloneVfork) != 0);
}

SysResult sys_wait4(Process& m, Lwp& self, const SyscallArgs& args) {
    posix::ChildWait request;
    request.pid = static_cast<i32>(static_cast<u32>(args.a[0]));
    request.nohang = (args.a[2] & kWnohang) != 0;
    request.out = args.a[1];
    request.extra = args.a[3];
    request.write = write_wait4;
    return posix::wait_child(m, self, request);
}

// waitid(idtype, id, infop, options, rusage): P_ALL 0, P_PID 1, P_PGID 2
// (the run's one group); WEXITED must be asked for.
SysResult sys_waitid(Process& m, Lwp& self, const SyscallArgs& args) {
    u64 idtype = args.a[0];
    u64 options = args.a[3];
    if (idtype > 2 || (options & kWexited) == 0)
        return SysResult::of(-err::INVAL);
    posix::ChildWait request;
    request.pid = idtype == 1 ? static_cast<i64>(static_cast<u32>(args.a[1])) : -1;
    request.nohang = (options & kWnohang) != 0;
    request.keep = (options & kWnowait) != 0;
    request.out = args.a[2];
    request.extra = args.a[4];
    request.write = write_waitid;
    if (request.nohang && args.a[2] != 0) {
        // Zeroed first, as Linux does: when nobody ended, si_pid stays 0.
        std::vector<u8> info = child_siginfo(m, nullptr);
        if (!m.memory().write(args.a[2], info.data(), info.size()))
            return SysResult::of(-err::FAULT);
    }
    return posix::wait_child(m, self, request);
}

SysResult sys_execve(Process& m, Lwp& self, const SyscallArgs& args) {
    std::string path;
    if (!m.memory().read_string(args.a[0], path, posix::kMaxPath))
        return SysResult::of(-err::FAULT);
    std::vector<std::string> argv, envp;
    if (i64 error = posix::read_string_array(m, args.a[1], argv); error != 0)
        return SysResult::of(error);
    if (i64 error = posix::read_string_array(m, args.a[2], envp); error != 0)
        return SysResult::of(error);
    ElfImage image;
    std::string why;
    if (i64 error = posix::executable_at(m, path, image, why); error != 0) {
        if (!why.empty())
            m.note(fmt::format("execve {}: {}", path, why));
        return SysResult::of(error);
    }
    if (i64 error = m.exec(self, std::move(image), argv, envp); error != 0)
        return SysResult::of(error);
    return SysResult::none(); // the new program's registers are live
}

} // namespace crossrt::kernel::lnx
