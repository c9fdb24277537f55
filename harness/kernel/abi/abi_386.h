// 386 descriptor tables: one GDT per LWP (set_thread_area), one LDT per
// process (modify_ldt), both in guest pages the kernel owns.
#pragma once

#include "kernel/types.h"

namespace crossrt::kernel {

class Process;
struct Lwp;

i64 i386_set_thread_area(Process& machine, Lwp& lwp, u64 user_desc);
i64 i386_modify_ldt(Process& machine, u64 func, u64 pointer, u64 count);
// NetBSD/i386's _lwp_setprivate: a flat user data segment based at base in
// this LWP's GDT, loaded into %gs.
i64 i386_set_gs_base(Process& machine, u32 base);

} // namespace crossrt::kernel
