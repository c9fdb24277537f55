// Linux/i386's own calls on the descriptor tables (linux_386.cc).
#pragma once

#include "kernel/types.h"

namespace crossrt::kernel {

class Process;
struct Lwp;

// set_thread_area(user_desc): a TLS slot (entries 6-8) of the LWP's GDT.
i64 i386_set_thread_area(Process& process, Lwp& lwp, u64 user_desc);
// modify_ldt(func, ptr, bytecount) on the process's LDT.
i64 i386_modify_ldt(Process& process, u64 func, u64 pointer, u64 count);

} // namespace crossrt::kernel
