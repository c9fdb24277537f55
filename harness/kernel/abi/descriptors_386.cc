#include "kernel/abi/descriptors_386.h"

#include "kernel/abi/regs.h"
#include "kernel/process.h"

#include <set>

namespace crossrt::kernel::i386 {

u64 descriptor_of(const UserDesc& desc) {
    u32 seg_32bit = desc.flags & 1;
    u32 contents = (desc.flags >> 1) & 3;
    u32 read_exec_only = (desc.flags >> 3) & 1;
    u32 limit_in_pages = (desc.flags >> 4) & 1;
    u32 seg_not_present = (desc.flags >> 5) & 1;
    u32 useable = (desc.flags >> 6) & 1;
    bool empty = desc.base_addr == 0 && desc.limit == 0 && contents == 0 && read_exec_only == 1 &&
                 seg_32bit == 0 && limit_in_pages == 0 && seg_not_present == 1 && useable == 0;
    if (empty)
        return 0;
    u32 type = ((read_exec_only ^ 1) << 1) | (contents << 2) | 1;
    u32 low = ((desc.base_addr & 0xffff) << 16) | (desc.limit & 0xffff);
    u32 high = (desc.base_addr & 0xff000000) | ((desc.base_addr >> 16) & 0xff) |
               (desc.limit & 0xf0000) | (type << 8) | (1u << 12) | (3u << 13) |
               ((seg_not_present ^ 1) << 15) | (useable << 20) | (seg_32bit << 22) |
               (limit_in_pages << 23);
    return (u64{high} << 32) | low;
}

u64 gdt_base(uc_engine* uc) {
    uc_x86_mmr gdtr{};
    if (uc_err status = uc_reg_read(uc, UC_X86_REG_GDTR, &gdtr); status != UC_ERR_OK)
        unicorn_bug(status, "uc_reg_read", UC_X86_REG_GDTR);
    return gdtr.base;
}

bool map_gdt_area(Process& process) {
    return process.memory().map_kernel(kGdtArea, kGdtPages * kPageSize, kProtRead | kProtWrite,
                                       "[gdt]");
}

bool new_gdt(Process& process, u64 copy_from) {
    // In use: the live GDT (the creator's, whose registers the new LWP's
    // are a copy of) and every saved one of an LWP that has not exited.
    std::set<u64> used{gdt_base(process.uc())};
    for (const auto& lwp : process.lwps()) {
        uc_x86_mmr gdtr{};
        if (lwp->state != LwpState::exited && lwp->cpu.read(UC_X86_REG_GDTR, &gdtr))
            used.insert(gdtr.base);
    }
    u64 base = kGdtArea;
    if (copy_from != 0) {
        while (base < kGdtArea + kGdtPages * kPageSize && used.count(base) != 0)
            base += kPageSize;
        if (base >= kGdtArea + kGdtPages * kPageSize)
            return false;
    }
    u8 table[kGdtEntries * 8] = {};
    if (copy_from != 0 && uc_mem_read(process.uc(), copy_from, table, sizeof table) != UC_ERR_OK)
        return false;
    // A page an exited LWP used: written over whole.
    if (uc_mem_write(process.uc(), base, table, sizeof table) != UC_ERR_OK)
        return false;
    uc_x86_mmr gdtr{};
    gdtr.base = base;
    gdtr.limit = kGdtEntries * 8 - 1;
    return uc_reg_write(process.uc(), UC_X86_REG_GDTR, &gdtr) == UC_ERR_OK;
}

i64 write_gdt_entry(Process& process, u64 index, u64 descriptor) {
    u64 at = gdt_base(process.uc()) + index * 8;
    return uc_mem_write(process.uc(), at, &descriptor, 8) == UC_ERR_OK ? 0 : -err::FAULT;
}

i64 write_ldt_entry(Process& process, u64 index, u64 descriptor) {
    return uc_mem_write(process.uc(), kLdtBase + index * 8, &descriptor, 8) == UC_ERR_OK
               ? 0
               : -err::FAULT;
}

i64 set_gs_base(Process& process, u32 base) {
    // 32-bit, read/write, limit in pages, present, useable: user_desc flags.
    UserDesc desc{static_cast<u32>(kTlsFirst), base, 0xfffff, 1u | (1u << 4) | (1u << 6)};
    if (i64 result = write_gdt_entry(process, kTlsFirst, descriptor_of(desc)); result < 0)
        return result;
    set_reg32(process.uc(), UC_X86_REG_GS, static_cast<u32>(kTlsFirst << 3) | 3);
    return 0;
}

} // namespace crossrt::kernel::i386
