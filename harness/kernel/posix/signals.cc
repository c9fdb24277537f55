#include "kernel/posix/signals.h"

#include "kernel/kernel.h"
#include "kernel/process.h"

namespace crossrt::kernel::posix {

bool action_can_change(int signo) {
    return signo != sig::KILL && signo != sig::STOP;
}

void set_action(Process& m, int signo, SigAction action) {
    action.mask &= ~kUnmaskable;
    m.actions()[static_cast<std::size_t>(signo)] = action;
    // Setting SIG_IGN (or a default that ignores) discards pending ones.
    if (m.is_ignored(signo)) {
        m.discard_shared(signo);
        for (const auto& lwp : m.lwps())
            lwp->pending &= ~sigbit(signo);
    }
}

i64 kill(Process& m, i64 pid, const SigInfo& info) {
    // The run's processes are one process group, whose id is the first
    // one's pid: 0 and -pgid name them all; -1 every one but the caller
    // (as Linux and NetBSD spare it).
    std::vector<Process*> targets;
    for (const auto& process : m.kernel().processes()) {
        if (!process->alive())
            continue;
        bool group = pid == 0 || pid == -m.kernel().main_process().pid();
        if ((pid > 0 && process->pid() == pid) || group || (pid == -1 && process.get() != &m))
            targets.push_back(process.get());
    }
    if (targets.empty())
        return -err::SRCH;
    if (info.signo != 0) {
        for (Process* target : targets)
            target->send_to_process(info);
    }
    return 0;
}

Lwp* find_lwp(Process& m, i64 id) {
    return id > 0 && id <= 0x7fffffff ? m.find_lwp(static_cast<int>(id)) : nullptr;
}

i64 kill_lwp(Process& m, i64 id, const SigInfo& info) {
    Lwp* target = find_lwp(m, id);
    if (target == nullptr)
        return -err::SRCH;
    if (info.signo != 0)
        m.send_to_thread(*target, info);
    return 0;
}

u64 pending_blocked(const Process& m, const Lwp& self) {
    return (self.pending | m.shared_pending()) & self.sigmask;
}

void change_sigmask(Lwp& self, MaskHow how, u64 set) {
    switch (how) {
    case MaskHow::block:
        self.sigmask |= set;
        break;
    case MaskHow::unblock:
        self.sigmask &= ~set;
        break;
    case MaskHow::set:
        self.sigmask = set;
        break;
    }
    self.sigmask &= ~kUnmaskable;
}

bool on_altstack(Process& m, const Lwp& self) {
    return m.on_altstack(self, m.cpu().sp(m.uc()));
}

i64 replace_altstack(Lwp& self, bool running_on_it, bool disable, u64 sp, u64 size, u64 min_size) {
    if (running_on_it)
        return -err::PERM;
    if (disable) {
        self.altstack = AltStack{};
        return 0;
    }
    if (size < min_size)
        return -err::NOMEM;
    self.altstack = AltStack{sp, size, false};
    return 0;
}

} // namespace crossrt::kernel::posix
