#include "kernel/posix/wait.h"

#include "kernel/kernel.h"
#include "kernel/process.h"

namespace crossrt::kernel::posix {

SysResult wait_child(Process& m, Lwp& self, const ChildWait& request) {
    bool any = false;
    for (const auto& process : m.kernel().processes()) {
        if (process->parent_pid() != m.pid() || !(process->alive() || process->zombie()))
            continue;
        if (request.pid > 0 && process->pid() != request.pid)
            continue;
        any = true;
        if (!process->zombie())
            continue;
        Wait wait;
        wait.events_out = request.out;
        wait.address = request.extra;
        i64 result = request.write(m, wait, process->end());
        if (result >= 0 && !request.keep)
            process->reap();
        return SysResult::of(result);
    }
    if (!any)
        return SysResult::of(-err::CHILD);
    if (request.nohang)
        return SysResult::of(0);
    Wait wait;
    wait.kind = WaitKind::child;
    wait.child = request.pid;
    wait.keep_child = request.keep;
    wait.write_child = request.write;
    wait.events_out = request.out;
    wait.address = request.extra;
    wait.restartable = true; // SA_RESTART restarts a wait
    m.block(self, wait);
    return SysResult::blocked();
}

} // namespace crossrt::kernel::posix
