// The NetBSD kqueue's hook into the shared file code: when a pipe changes,
// notify_files (linux/sys_poll.cc) lets an LWP blocked in kevent collect
// its events.
#pragma once

namespace crossrt::kernel {
class Process;
struct Lwp;
} // namespace crossrt::kernel

namespace crossrt::kernel::nbsd {

// Wakes lwp (blocked in __kevent50) when its kqueue has events now.
void notify_kevent_waiter(Process& m, Lwp& lwp);

} // namespace crossrt::kernel::nbsd
