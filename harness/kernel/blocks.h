// The translated blocks a process has run. The kernel counts instructions by
// block: a block's icount is added when it starts, and a block cut short (a
// syscall, a fault, an exact stop) is counted up to the instruction it
// stopped at. For that, each block is decoded once, when it first runs:
// where every instruction starts, and which ones the kernel must look at
// exactly (the x86 checks, abi/x86_check.h).
#pragma once

#include "kernel/abi/disassembler.h"
#include "kernel/abi/x86_check.h"
#include "kernel/types.h"

#include <memory>
#include <unicorn/unicorn.h>
#include <unordered_map>
#include <utility>
#include <vector>

namespace crossrt::kernel {

class Cpu;

struct Block {
    u64 pc = 0;
    u32 size = 0;
    // Each instruction's offset from pc, ascending. Empty when the block
    // could not be decoded: it is then counted one instruction at a time.
    std::vector<u16> starts;
    std::vector<std::pair<u32, X86Check>> checks; // by instruction index
    u32 count = 0;                                // starts.size(), kept for the block hook
    // arm: the block ends in YIELD, WFE or WFI. QEMU ends a block at these
    // and stops the engine after them (to let another vCPU run, or to
    // halt): in user mode on real hardware they just run on.
    bool ends_in_hint = false;
    bool decoded() const { return count != 0; }
    u32 icount() const { return count; }
    u64 end() const { return pc + size; }
    bool contains(u64 address) const { return address >= pc && address < end(); }
    // How many of its instructions start before address (icount() at end()).
    u32 index_of(u64 address) const;
    u64 address_of(u32 index) const { return pc + starts[index]; }
    const X86Check* check_at(u32 index) const;
    // The range a code hook must cover for the checks: [first, last].
    std::pair<u64, u64> checked_range() const;
};

class BlockMap {
public:
    explicit BlockMap(const Cpu& cpu);
    ~BlockMap();
    // The block that starts at pc with this size, once decoded (inline: the
    // block hook asks for every block it runs).
    Block* find(u64 pc, u32 size) {
        Slot& slot = cache_[(pc ^ (pc >> 12)) & (kCacheSize - 1)];
        if (slot.pc == pc && slot.size == size)
            return slot.block;
        return find_slow(pc, size);
    }
    // Decodes the block at pc (its bytes read from the engine) and keeps it.
    Block& add(uc_engine* uc, u64 pc, u32 size);
    // The code in [begin, end) changed or went away.
    void forget(u64 begin, u64 end);

private:
    Block* find_slow(u64 pc, u32 size);
    Block decode(uc_engine* uc, u64 pc, u32 size) const;

    const Cpu& cpu_;
    std::unique_ptr<Disassembler> main_;
    std::unique_ptr<Disassembler> thumb_;
    std::unordered_map<u64, Block> blocks_; // node-based: pointers stay valid
    u64 lowest_ = ~0ull;                    // the blocks lie in [lowest_, highest_)
    u64 highest_ = 0;
    struct Slot {
        u64 pc = ~0ull;
        u32 size = 0;
        Block* block = nullptr;
    };
    static constexpr std::size_t kCacheSize = 1 << 14;
    std::vector<Slot> cache_ = std::vector<Slot>(kCacheSize);
};

} // namespace crossrt::kernel
