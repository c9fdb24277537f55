// Processes with NetBSD's conventions: fork and vfork (Process::fork; the
// child's call returns 0 with 1 in the second result register, the
// parent's the child's pid with 0), execve of a static binary of the run's
// tree, and __wait450 (posix/wait.h) with BSD's status word.
#include "kernel/netbsd/sys.h"
#include "kernel/posix/args.h"
#include "kernel/posix/fs.h"
#include "kernel/posix/wait.h"

#include <fmt/format.h>

namespace crossrt::kernel::nbsd {
namespace {

void child_returns_zero(Process& child, u64) {
    child.personality().set_syscall_result(child, 0);
    netbsd_abi(child).set_second_result(child.uc(), 1);
}

// struct rusage (__rusage50): two timevals and 14 longs, all zero here.
std::size_t rusage_size(const Process& m) {
    switch (m.cpu().arch()) {
    case Arch::amd64:
        return 2 * 16 + 14 * 8;
    case Arch::i386:
        return 2 * 12 + 14 * 4;
    case Arch::arm:
        return 2 * 16 + 14 * 4;
    }
    return 0;
}

i64 write_wait(Process& m, const Wait& wait, const ChildEnd& end) {
    if (wait.events_out != 0 && !m.memory().write_value(wait.events_out, posix::wait_status(end)))
        return -kernel::err::FAULT;
    if (wait.address != 0) {
        std::vector<u8> zero(rusage_size(m), 0);
        if (!m.memory().write(wait.address, zero.data(), zero.size()))
            return -kernel::err::FAULT;
    }
    return end.pid;
}

} // namespace

SysResult sys_fork(Process& m, Lwp& self, const SyscallArgs&) {
    i64 error = 0;
    Process* child = m.fork(self, child_returns_zero, 0, error);
    if (child == nullptr)
        return SysResult::of(encode_errno(error));
    netbsd_abi(m).set_second_result(m.uc(), 0);
    return SysResult::of(child->pid());
}

// __wait450(pid, status, options, rusage): WNOHANG (1).
SysResult sys_wait4(Process& m, Lwp& self, const SyscallArgs& args) {
    posix::ChildWait request;
    request.pid = static_cast<i32>(static_cast<u32>(args.a[0]));
    request.nohang = (args.a[2] & 1) != 0;
    request.out = args.a[1];
    request.extra = args.a[3];
    request.write = write_wait;
    return encode(posix::wait_child(m, self, request));
}

SysResult sys_execve(Process& m, Lwp& self, const SyscallArgs& args) {
    std::string path;
    if (!m.memory().read_string(args.a[0], path, posix::kMaxPath))
        return SysResult::of(encode_errno(-kernel::err::FAULT));
    std::vector<std::string> argv, envp;
    if (i64 error = posix::read_string_array(m, args.a[1], argv); error != 0)
        return SysResult::of(encode_errno(error));
    if (i64 error = posix::read_string_array(m, args.a[2], envp); error != 0)
        return SysResult::of(encode_errno(error));
    ElfImage image;
    std::string why;
    if (i64 error = posix::executable_at(m, path, image, why); error != 0) {
        if (!why.empty())
            m.note(fmt::format("execve {}: {}", path, why));
        return SysResult::of(encode_errno(error));
    }
    if (i64 error = m.exec(self, std::move(image), argv, envp); error != 0)
        return SysResult::of(encode_errno(error));
    return SysResult::none();
}

} // namespace crossrt::kernel::nbsd
