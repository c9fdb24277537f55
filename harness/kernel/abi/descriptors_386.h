// 386 descriptor tables, the machinery both personalities' thread pointers
// use: one GDT page per LWP (GDTR is part of its saved context), one LDT per
// process, both in guest pages the kernel owns above the guest's range.
#pragma once

#include "kernel/options.h"
#include "kernel/types.h"

#include <unicorn/unicorn.h>

namespace crossrt::kernel {
class Process;
}

namespace crossrt::kernel::i386 {

constexpr u64 kLdtBase = 0xfe000000;
constexpr u64 kLdtEntries = 8192;
// The GDTs: one page per live LWP from here, kMaxLwps of them, mapped at
// boot as one region (a region per GDT made each 386 LWP slower to create
// than the last: Unicorn's memory map is a flat list). The page of an LWP
// that exited is the next one's.
constexpr u64 kGdtArea = 0xfe100000;
constexpr u64 kGdtPages = kMaxLwps;
constexpr u64 kGdtEntries = 32;
constexpr u64 kTlsFirst = 6; // GDT_ENTRY_TLS_MIN
constexpr u64 kTlsCount = 3;

// struct user_desc: entry_number, base_addr, limit, then flag bits.
struct UserDesc {
    u32 entry_number;
    u32 base_addr;
    u32 limit;
    u32 flags; // seg_32bit:1 contents:2 read_exec_only:1 limit_in_pages:1 seg_not_present:1
               // useable:1
};

// A descriptor as Linux's fill_ldt makes it; an "empty" user_desc clears it.
u64 descriptor_of(const UserDesc& desc);

// The live GDT's base.
u64 gdt_base(uc_engine* uc);

// Maps the GDT area (boot, exec).
bool map_gdt_area(Process& process);

// A GDT page no live LWP of the process uses, for the LWP whose registers
// are live, copied from the one at copy_from (0: the first page, at boot).
// False when no page is left or Unicorn refuses.
bool new_gdt(Process& process, u64 copy_from);

// Writes a descriptor into the live GDT or the LDT: 0 or -EFAULT.
i64 write_gdt_entry(Process& process, u64 index, u64 descriptor);
i64 write_ldt_entry(Process& process, u64 index, u64 descriptor);

// NetBSD/i386's _lwp_setprivate: a flat user data segment based at base in
// this LWP's GDT, loaded into %gs.
i64 set_gs_base(Process& process, u32 base);

} // namespace crossrt::kernel::i386
