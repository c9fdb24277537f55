// clone for threads: a new LWP sharing everything, with its own stack,
// thread pointer and tid words. A clone that makes a process is a fork
// (sys_child.cc).
#include "kernel/linux/sys.h"

#include <fmt/format.h>

namespace crossrt::kernel::lnx {
namespace {
constexpr u64 kCloneVm = 0x100;
constexpr u64 kCloneSighand = 0x800;
constexpr u64 kCloneThread = 0x10000;
constexpr u64 kCloneSettls = 0x80000;
constexpr u64 kCloneParentSettid = 0x100000;
constexpr u64 kCloneChildCleartid = 0x200000;
constexpr u64 kCloneChildSettid = 0x1000000;
constexpr u64 kCsignal = 0xff;
} // namespace

SysResult sys_clone(Process& m, Lwp& self, const SyscallArgs& args) {
    u64 flags = args.a[0];
    u64 stack = args.a[1];
    u64 parent_tid = args.a[2];
    // amd64: (flags, stack, ptid, ctid, tls); 386 and arm: (flags, stack, ptid, tls, ctid).
    bool amd64 = m.cpu().arch() == Arch::amd64;
    u64 child_tid = amd64 ? args.a[3] : args.a[4];
    u64 tls = amd64 ? args.a[4] : args.a[3];
    if (clone_makes_process(flags))
        return sys_clone_process(m, self, args);
    u64 needed = kCloneVm | kCloneSighand | kCloneThread;
    if ((flags & needed) != needed || (flags & kCsignal) != 0) {
        if (m.options().strict) {
            m.end_run(EndKind::unsupported, 0,
                      fmt::format("clone with flags {:#x}: threads (VM|SIGHAND|THREAD) and "
                                  "processes (no VM, or VFORK) are supported (--strict)",
                                  flags));
        }
        return SysResult::of(-err::NOSYS);
    }
    Lwp* child = m.create_lwp();
    if (child == nullptr)
        return SysResult::of(-err::AGAIN);
    child->sigmask = self.sigmask;
    child->affinity = self.affinity;
    child->altstack = AltStack{};
    // The child starts as a copy of the parent's registers at this point.
    i64 result = m.build_lwp(*child, [&]() -> i64 {
        linux_abi(m).start_child(m.uc(), stack);
        if (!m.cpu().init_child(m, self, *child))
            return -err::NOMEM;
        if ((flags & kCloneSettls) != 0)
            return linux_abi(m).set_thread_pointer(m, *child, tls);
        return 0;
    });
    if (result < 0)
        return SysResult::of(result);
    if ((flags & kCloneParentSettid) != 0)
        m.memory().write_value(parent_tid, static_cast<u32>(child->tid));
    if ((flags & kCloneChildSettid) != 0)
        m.memory().write_value(child_tid, static_cast<u32>(child->tid));
    if ((flags & kCloneChildCleartid) != 0)
        child->clear_child_tid = child_tid;
    child->state = LwpState::runnable;
    child->syscall_name = "clone";
    m.trace().line(m.total_insns(), "lwp {} created: tid {}, stack {:#x}, tls {:#x}",
                   child->ordinal, child->tid, stack, tls);
    return SysResult::of(child->tid);
}

} // namespace crossrt::kernel::lnx
