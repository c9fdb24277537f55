#include "kernel/blocks.h"

#include "kernel/abi/cpu.h"

#include <algorithm>

namespace crossrt::kernel {

u32 Block::index_of(u64 address) const {
    if (address >= end())
        return icount();
    u64 offset = address - pc;
    auto at = std::lower_bound(starts.begin(), starts.end(), offset);
    return static_cast<u32>(at - starts.begin());
}

const X86Check* Block::check_at(u32 index) const {
    for (const auto& [at, check] : checks) {
        if (at == index)
            return &check;
    }
    return nullptr;
}

std::pair<u64, u64> Block::checked_range() const {
    u64 first = address_of(checks.front().first);
    u32 last = checks.back().first;
    // rdtsc's result is rewritten at the next instruction: hook that too.
    if (checks.back().second.kind != X86Check::Kind::aligned && last + 1 < icount())
        ++last;
    return {first, address_of(last)};
}

BlockMap::BlockMap(const Cpu& cpu) : cpu_(cpu) {
    bool x86 = cpu.arch() == Arch::amd64 || cpu.arch() == Arch::i386;
    if (x86) {
        main_ = std::make_unique<Disassembler>(
            cpu.arch() == Arch::amd64 ? Disassembler::Mode::x86_64 : Disassembler::Mode::x86_32,
            true);
    } else {
        main_ = std::make_unique<Disassembler>(Disassembler::Mode::arm, false);
        thumb_ = std::make_unique<Disassembler>(Disassembler::Mode::thumb, false);
    }
}

BlockMap::~BlockMap() = default;

Block* BlockMap::find_slow(u64 pc, u32 size) {
    auto it = blocks_.find(pc);
    if (it == blocks_.end() || it->second.size != size)
        return nullptr;
    cache_[(pc ^ (pc >> 12)) & (kCacheSize - 1)] = Slot{pc, size, &it->second};
    return &it->second;
}

Block& BlockMap::add(uc_engine* uc, u64 pc, u32 size) {
    Block& block = blocks_[pc];
    block = decode(uc, pc, size);
    lowest_ = std::min(lowest_, pc);
    highest_ = std::max(highest_, block.end());
    cache_[(pc ^ (pc >> 12)) & (kCacheSize - 1)] = Slot{pc, size, &block};
    return block;
}

void BlockMap::forget(u64 begin, u64 end) {
    if (end <= lowest_ || begin >= highest_)
        return; // data, not code (the common case: every mmap asks)
    for (auto it = blocks_.begin(); it != blocks_.end();) {
        if (it->second.pc < end && it->second.end() > begin)
            it = blocks_.erase(it);
        else
            ++it;
    }
    std::fill(cache_.begin(), cache_.end(), Slot{});
}

Block BlockMap::decode(uc_engine* uc, u64 pc, u32 size) const {
    Block block;
    block.pc = pc;
    block.size = size;
    std::vector<u8> code(size);
    if (size == 0 || uc_mem_read(uc, pc, code.data(), size) != UC_ERR_OK)
        return block;
    const Disassembler& disassembler = cpu_.thumb(uc) && thumb_ ? *thumb_ : *main_;
    bool long_mode = cpu_.arch() == Arch::amd64;
    bool x86 = cpu_.arch() == Arch::amd64 || cpu_.arch() == Arch::i386;
    bool whole = disassembler.decode(code.data(), size, pc, [&](const cs_insn& insn) {
        u32 index = static_cast<u32>(block.starts.size());
        block.starts.push_back(static_cast<u16>(insn.address - pc));
        if (x86) {
            X86Check check = classify_x86(insn, long_mode);
            if (check.kind != X86Check::Kind::none)
                block.checks.emplace_back(index, check);
        } else {
            block.ends_in_hint = insn.id == ARM_INS_YIELD || insn.id == ARM_INS_WFE ||
                                 insn.id == ARM_INS_WFI; // of the last one, in the end
        }
    });
    if (!whole) {
        // Counted one instruction at a time instead (and unchecked: what
        // Capstone cannot decode, QEMU 5 hardly runs).
        block.starts.clear();
        block.checks.clear();
        block.ends_in_hint = false;
    }
    block.count = static_cast<u32>(block.starts.size());
    return block;
}

} // namespace crossrt::kernel
