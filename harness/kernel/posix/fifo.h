// Named pipes (mkfifo): the tree holds the node, the file system holds its
// pipe while an end is open or an open waits (FileSystem::fifos), so the
// data goes with the last end, as Linux's does. An open for reading waits
// until a writer opens and one for writing until a reader does, unless
// O_NONBLOCK (then a writer with no reader gets ENXIO); O_RDWR never
// waits. As on Linux, a waiting open already counts as an end: a writer
// that opens while a reader waits goes on, and so do its writes.
#pragma once

#include "kernel/lwp.h"
#include "kernel/posix/files.h"
#include "kernel/posix/fs.h"
#include "kernel/posix/syscall_table.h"

namespace crossrt::kernel {
class Process;
}

namespace crossrt::kernel::posix {

// open(2) of the FIFO node: the fd, -errno, or self waits for the other end.
SysResult fifo_open(Process& m, Lwp& self, const Node& node, const OpenFlags& flags);

// A waiting open that a signal ended: its end stops counting.
void abandon_fifo_open(Process& m, const Wait& wait);

// After an end of the pipe closed: a FIFO's pipe with no end left goes.
void forget_fifo_if_unused(Process& m, const Pipe& pipe);

} // namespace crossrt::kernel::posix
