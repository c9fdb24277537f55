// One run of the CPU on the current LWP and what stopped it: the block hook
// that counts instructions by block and ends the slice, the instruction hook
// on the few instructions that need one, the trap hooks, the mapping of
// Unicorn's errors to the signal the guest's kernel would send, and the
// dispatch of a trapped syscall to the personality's table.
#include "base/signals.h"
#include "kernel/abi/checked.h"
#include "kernel/abi/regs.h"
#include "kernel/abi/x86_check.h"
#include "kernel/kernel.h"
#include "kernel/policy.h"
#include "kernel/posix/syscall_table.h"
#include "kernel/process.h"

#include <fmt/format.h>

namespace crossrt::kernel {
namespace {

void code_hook(uc_engine*, u64 address, u32, void* user) {
    static_cast<Process*>(user)->on_code(address);
}

} // namespace

// Before the first instruction is translated: hooks added later do not
// reach code translated already.
bool Process::add_counting_hooks(std::string& error) {
    blocks_ = std::make_unique<BlockMap>(*cpu_);
    memory_->on_code_change([this](u64 begin, u64 end) { blocks_->forget(begin, end); });
    uc_hook hook = 0;
    if (!checked(uc_hook_add(uc_, &hook, UC_HOOK_BLOCK,
                             reinterpret_cast<void*>(&Process::block_hook), this, 1, 0),
                 "uc_hook_add(blocks)", error))
        return false;
    if (options().every_instruction)
        return checked(
            uc_hook_add(uc_, &hook, UC_HOOK_CODE, reinterpret_cast<void*>(&code_hook), this, 1, 0),
            "uc_hook_add(instructions)", error);
    for (const auto& [begin, end] : options().exact_ranges) {
        if (!checked(uc_hook_add(uc_, &hook, UC_HOOK_CODE, reinterpret_cast<void*>(&code_hook),
                                 this, begin, end - 1),
                     "uc_hook_add(exact range)", error))
            return false;
    }
    return true;
}

// ---- hooks ----

// Every block, before it runs. Nearly always a known block far from any
// stop, counted whole; this runs for every block, so that case comes first.
void Process::block_hook(uc_engine*, u64 address, u32 size, void* user) {
    static_cast<Process*>(user)->on_block(address, size);
}

inline void Process::on_block(u64 address, u32 size) {
    const Block* block = block_;
    if (block == nullptr || block->pc != address || block->size != size)
        block = blocks_->find(address, size);
    if (block != nullptr && run_.executed + block->icount() < horizon_ && block->decoded()) {
        block_ = block;
        next_index_ = 0;
        run_.executed += block->icount();
        return;
    }
    on_block_slow(address, size, const_cast<Block*>(block));
}

void Process::enter_block(const Block& block) {
    block_ = &block;
    in_block_ = 0;
    next_index_ = 0;
    run_.executed += block.icount(); // an undecoded block counts in on_code
}

u64 Process::block_base() const {
    return run_.executed - (block_->decoded() ? block_->icount() : in_block_);
}

// Near a stop, a new block, or rdtsc's result to rewrite: the slice may end
// here, or the block must be hooked (or stepped through) first.
void Process::on_block_slow(u64 address, u32 size, Block* block) {
    if (pending_tsc_ != 0)
        write_virtual_tsc();
    bool atomic = personality_->is_atomic_region(address);
    block_stop_pc_ = address;
    // The scheduler may end a slice only where control arrived by a jump
    // (or where the run began), never where a block merely follows the one
    // before: QEMU splits straight-line code at limits that depend on the
    // hooks compiled in, and the schedule must not.
    bool may_end = block_ == nullptr ? first_may_end_ : address != block_->end();
    if (exact_at_ && run_.executed == *exact_at_ && !atomic) {
        stopped_exactly_ = true;
        resume_may_end_ = may_end;
        stop_cpu(StopSite::block);
        return;
    }
    if (may_end && run_.executed >= run_limit_ && !atomic) {
        stop_cpu(StopSite::block);
        return;
    }
    if (block == nullptr) {
        block = &blocks_->add(uc_, address, size);
        if (!options().every_instruction) {
            if (!block->decoded()) {
                to_hook_.emplace_back(address, address + size - 1);
            } else if (!block->checks.empty()) {
                to_hook_.push_back(block->checked_range());
            }
            if (!to_hook_.empty()) {
                // Translated without the hook: run it again once hooked.
                stop_cpu(StopSite::block);
                return;
            }
        }
    }
    if (exact_at_ && *exact_at_ > run_.executed && *exact_at_ < run_.executed + block->icount() &&
        !steps_every_instruction(*block)) {
        step_through_ = std::pair{address, address + size - 1};
        stop_cpu(StopSite::block);
        return;
    }
    enter_block(*block);
}

// Only the instructions that need it: an exact stop, the x86 checks, every
// instruction of an undecoded block (or all, with every_instruction).
void Process::on_code(u64 address) {
    if (pending_tsc_ != 0)
        write_virtual_tsc();
    if (block_ == nullptr)
        return;
    u32 index = 0;
    if (block_->decoded()) {
        // Hooked instructions run in order inside a block: try the next one
        // first (every_instruction runs this for each of them).
        index = next_index_ < block_->icount() && block_->address_of(next_index_) == address
                    ? next_index_
                    : block_->index_of(address);
        next_index_ = index + 1;
    } else {
        index = in_block_++;
        ++run_.executed;
    }
    u64 before = block_base() + index;
    if (kernel_.code_watch()) {
        kernel_.code_watch()(address, total_insns() + before);
        if (kernel_.ended()) {
            stop_cpu(StopSite::code);
            return;
        }
        const std::optional<u64>& requested = kernel_.requested_pause();
        if (requested && *requested <= total_insns() + before &&
            !personality_->is_atomic_region(address)) {
            stopped_exactly_ = true;
            resume_may_end_ = false;
            stop_cpu(StopSite::code);
            return;
        }
    }
    if (exact_at_ && before == *exact_at_ && !personality_->is_atomic_region(address)) {
        stopped_exactly_ = true;
        resume_may_end_ = false;
        stop_cpu(StopSite::code);
        return;
    }
    if (block_->checks.empty())
        return;
    const X86Check* check = block_->check_at(index);
    if (check == nullptr)
        return;
    bool long_mode = cpu_->word_size() == 8;
    if (check->kind == X86Check::Kind::aligned) {
        if (misaligned_operand(uc_, address, *check, long_mode)) {
            // #GP before the instruction runs: SIGSEGV with si_addr 0, as Linux.
            on_fault_trap(sig::SEGV, kSiKernel, 0, cpu_->trap_number(FaultKind::protection));
            stop_site_ = StopSite::code;
        }
    } else {
        // One tick per virtual nanosecond, counted to this instruction.
        pending_tsc_ = check->kind == X86Check::Kind::rdtscp ? 2 : 1;
        pending_tsc_value_ = now_ns() + before + 1;
        saved_horizon_ = horizon_;
        horizon_ = 0; // the next block hook rewrites it, if no instruction hook does
    }
}

// QEMU stops the engine right after an arm YIELD or WFE (EXCP_YIELD, which
// Unicorn 2.0.1 reports as an invalid instruction) or WFI (the CPU halts),
// with pc at the next instruction: the block that ends in it ran whole. A
// real undefined instruction stops with pc on itself, never at the end of
// a block whose last instruction is a hint.
bool Process::stopped_after_hint(uc_err error) const {
    if (stop_site_ != StopSite::none || run_.trap.kind != TrapKind::none || block_ == nullptr ||
        !block_->ends_in_hint)
        return false;
    if (error != UC_ERR_OK && error != UC_ERR_INSN_INVALID)
        return false;
    return cpu_->pc(uc_) == block_->end();
}

void Process::stop_cpu(StopSite site) {
    stop_site_ = site;
    uc_emu_stop(uc_);
}

bool Process::steps_every_instruction(const Block& block) const {
    if (options().every_instruction || hooks_every_instruction_ || !block.decoded())
        return true;
    if (stepping_hook_ != 0 && block.pc >= stepping_range_.first &&
        block.end() - 1 <= stepping_range_.second)
        return true;
    for (const auto& [begin, end] : options().exact_ranges) {
        if (block.pc >= begin && block.end() <= end)
            return true;
    }
    return false;
}

void Process::write_virtual_tsc() {
    u64 tsc = pending_tsc_value_;
    bool long_mode = cpu_->word_size() == 8;
    u64 low = tsc & 0xffffffffull;
    u64 high = tsc >> 32;
    if (long_mode) {
        set_reg64(uc_, UC_X86_REG_RAX, low);
        set_reg64(uc_, UC_X86_REG_RDX, high);
        if (pending_tsc_ == 2)
            set_reg64(uc_, UC_X86_REG_RCX, 0); // IA32_TSC_AUX: CPU 0
    } else {
        set_reg32(uc_, UC_X86_REG_EAX, static_cast<u32>(low));
        set_reg32(uc_, UC_X86_REG_EDX, static_cast<u32>(high));
        if (pending_tsc_ == 2)
            set_reg32(uc_, UC_X86_REG_ECX, 0);
    }
    pending_tsc_ = 0;
    horizon_ = saved_horizon_;
}

void Process::on_syscall_trap() {
    run_.trap.kind = TrapKind::syscall;
    stop_cpu(StopSite::trap);
}

void Process::on_fault_trap(int signo, int code, u64 address, int trapno) {
    run_.trap.kind = TrapKind::fault;
    run_.trap.fault = SigInfo{signo, code, address, 0, trapno};
    stop_cpu(StopSite::trap);
}

void Process::on_invalid_memory(uc_mem_type, u64 address) {
    bad_access_address_ = address;
}

// ---- one run ----

void Process::map_engine_error(uc_err error) {
    constexpr int kSegvMaperr = 1;
    constexpr int kSegvAccerr = 2;
    constexpr int kBusAdraln = 1;
    constexpr int kIllIllopn = 2;
    SigInfo info{sig::SEGV, kSegvMaperr, bad_access_address_, 0,
                 cpu_->trap_number(FaultKind::page_fault)};
    switch (error) {
    case UC_ERR_READ_UNMAPPED:
    case UC_ERR_WRITE_UNMAPPED:
    case UC_ERR_FETCH_UNMAPPED:
        // A PROT_NONE reservation is not mapped in Unicorn, but for the
        // guest it is mapped memory it may not touch.
        if (memory_->find(bad_access_address_) != nullptr)
            info.code = kSegvAccerr;
        break;
    case UC_ERR_READ_PROT:
    case UC_ERR_WRITE_PROT:
    case UC_ERR_FETCH_PROT:
        info.code = kSegvAccerr;
        break;
    case UC_ERR_READ_UNALIGNED:
    case UC_ERR_WRITE_UNALIGNED:
    case UC_ERR_FETCH_UNALIGNED:
        info = SigInfo{sig::BUS, kBusAdraln, bad_access_address_, 0,
                       cpu_->trap_number(FaultKind::alignment)};
        break;
    default:
        info = SigInfo{sig::ILL, kIllIllopn, 0, 0, cpu_->trap_number(FaultKind::invalid_opcode)};
        run_.trap.kind = TrapKind::fault;
        run_.trap.fault = info;
        settle_trap();
        info.addr = cpu_->pc(uc_);
        run_.trap.fault = info;
        return;
    }
    run_.trap.kind = TrapKind::fault;
    run_.trap.fault = info;
    bool fetch = error == UC_ERR_FETCH_UNMAPPED || error == UC_ERR_FETCH_PROT ||
                 error == UC_ERR_FETCH_UNALIGNED;
    if (fetch) {
        // The jump's block completed; the next one could not be fetched.
        cpu_->set_pc(uc_, bad_access_address_);
        return;
    }
    if (block_ == nullptr)
        return; // before any block ran: pc is where the run began
    if (!steps_every_instruction(*block_)) {
        // Unicorn 2.0.1 leaves pc at the block's start after a faulting
        // access when no instruction hook syncs it: the run is repeated
        // with this block hooked (replay.h).
        kernel_.request_replay(block_->pc, block_->end());
        return;
    }
    // The hook synced pc to the faulting instruction; it did not complete.
    u64 pc = cpu_->pc(uc_);
    if (block_->decoded())
        run_.executed = block_base() + block_->index_of(pc);
    else if (in_block_ > 0)
        --run_.executed;
}

// An exception stopped the CPU (a fault trap): QEMU left pc at the faulting
// instruction, or after it for a trap (int3), which then ended its block.
// The guest sees pc at the instruction, which did not complete.
void Process::settle_trap() {
    if (block_ == nullptr)
        return;
    if (!block_->decoded()) {
        if (in_block_ > 0)
            --run_.executed;
        return;
    }
    u32 index = block_->index_of(cpu_->pc(uc_));
    if (index >= block_->icount())
        index = block_->icount() - 1;
    run_.executed = block_base() + index;
    cpu_->set_pc(uc_, block_->address_of(index));
}

bool Process::add_code_hook(u64 first, u64 last, uc_hook* handle) {
    uc_hook hook = 0;
    uc_err status = uc_hook_add(uc_, &hook, UC_HOOK_CODE, reinterpret_cast<void*>(&code_hook), this,
                                first, last);
    if (status != UC_ERR_OK)
        unicorn_bug(status, "uc_hook_add(code)", first);
    if (handle != nullptr)
        *handle = hook;
    return true;
}

namespace {

// Drops the translations of [first, last]; a large range (every
// instruction) drops them all at once rather than page by page.
void drop_translations(uc_engine* uc, u64 first, u64 last) {
    if (last - first >= (u64{1} << 24))
        uc_ctl_flush_tlb(uc); // UC_CTL_TB_FLUSH: every translation block
    else
        uc_ctl_remove_cache(uc, first, last + 1);
}

} // namespace

uc_hook Process::hook_code(u64 first, u64 last) {
    uc_hook hook = 0;
    add_code_hook(first, last, &hook);
    drop_translations(uc_, first, last);
    return hook;
}

void Process::unhook_code(uc_hook hook, u64 first, u64 last) {
    uc_hook_del(uc_, hook);
    drop_translations(uc_, first, last);
}

// The block hook stopped before a block that must be translated again with
// an instruction hook: add it, drop the block's translation.
void Process::prepare_restart() {
    for (const auto& [first, last] : to_hook_) {
        add_code_hook(first, last, nullptr);
        uc_ctl_remove_cache(uc_, first, last + 1);
    }
    to_hook_.clear();
    if (step_through_) {
        stepping_range_ = *step_through_;
        add_code_hook(stepping_range_.first, stepping_range_.second, &stepping_hook_);
        uc_ctl_remove_cache(uc_, stepping_range_.first, stepping_range_.second + 1);
        step_through_.reset();
    }
}

CpuRun Process::run_cpu(u64 limit, std::optional<u64> exact, std::optional<bool> first_may_end) {
    run_limit_ = limit;
    exact_at_ = exact;
    first_may_end_ = first_may_end.value_or(true);
    stopped_exactly_ = false;
    horizon_ = exact ? std::min(limit, *exact) : limit;
    run_ = CpuRun{};
    block_ = nullptr;
    in_block_ = 0;
    uc_err error = UC_ERR_OK;
    while (true) {
        stop_site_ = StopSite::none;
        error = uc_emu_start(uc_, cpu_->resume_address(uc_), cpu_->never_reached(), 0, 0);
        // Stopped before a block: Unicorn syncs pc to it only while no
        // instruction hook exists (cpu_tb_exec), so say it.
        if (stop_site_ == StopSite::block && error == UC_ERR_OK)
            cpu_->set_pc(uc_, block_stop_pc_);
        if (stopped_after_hint(error))
            continue; // it ran; run on from the next instruction
        if (to_hook_.empty() && !step_through_)
            break;
        prepare_restart();
    }
    if (stepping_hook_ != 0) {
        // Back to block speed: the block's hooked translation goes too.
        uc_hook_del(uc_, stepping_hook_);
        stepping_hook_ = 0;
        uc_ctl_remove_cache(uc_, stepping_range_.first, stepping_range_.second + 1);
    }
    if (pending_tsc_ != 0)
        write_virtual_tsc(); // the run ended right after rdtsc
    if (error != UC_ERR_OK && run_.trap.kind == TrapKind::none) {
        map_engine_error(error);
    } else if (run_.trap.kind == TrapKind::fault && stop_site_ == StopSite::trap) {
        settle_trap();
    } else if (stop_site_ == StopSite::code || run_.trap.kind == TrapKind::syscall) {
        // Stopped inside the block (or a syscall ended it): count to pc.
        // (A stop asked for inside an arm IT block lands after it.)
        u64 pc = cpu_->pc(uc_);
        if (block_ != nullptr && block_->decoded() && pc >= block_->pc && pc <= block_->end())
            run_.executed = block_base() + block_->index_of(pc);
        else if (block_ != nullptr && !block_->decoded() && stop_site_ == StopSite::code &&
                 in_block_ > 0)
            --run_.executed; // the instruction it stopped before
    } else if (stop_site_ == StopSite::none && error == UC_ERR_OK) {
        // The CPU stopped by itself: hlt (privileged in user mode).
        settle_trap();
        run_.trap.kind = TrapKind::fault;
        run_.trap.fault =
            SigInfo{sig::SEGV, kSiKernel, 0, 0, cpu_->trap_number(FaultKind::protection)};
    }
    return run_;
}

void Process::count_instructions(Lwp& lwp, u64 executed) {
    lwp.insns += executed;
    cpu_insns_ += executed;
}

// ---- what stopped it ----

bool Process::at_sync_call() {
    const posix::SyscallEntry* entry = table_->find(syscall_args().nr);
    return entry != nullptr && is_synchronisation_call(entry->name);
}

std::string Process::trap_name() {
    u64 nr = syscall_args().nr;
    const posix::SyscallEntry* entry = table_->find(nr);
    return entry != nullptr ? std::string(entry->name) : fmt::format("#{}", nr);
}

bool Process::handle_syscall(Lwp& lwp) {
    SyscallArgs args = syscall_args();
    lwp.syscall = args;
    const posix::SyscallEntry* entry = table_->find(args.nr);
    lwp.syscall_name = entry != nullptr ? std::string(entry->name) : fmt::format("#{}", args.nr);
    posix::SysResult result;
    if (entry == nullptr || entry->handler == nullptr) {
        result = posix::SysResult::of(unsupported(args, entry != nullptr ? entry->name : ""));
    } else {
        result = entry->handler(*this, lwp, args);
    }
    if (trace().enabled()) {
        int nargs = entry != nullptr ? entry->nargs : 6;
        std::string text;
        for (int i = 0; i < nargs; ++i)
            text += fmt::format("{}{:#x}", i == 0 ? "" : ", ", args.a[static_cast<std::size_t>(i)]);
        switch (result.kind) {
        case posix::SysResult::Kind::value:
        case posix::SysResult::Kind::yield:
            trace().line(total_insns(), "lwp {}: {}({}) = {}", lwp.ordinal, lwp.syscall_name, text,
                         result.value);
            break;
        case posix::SysResult::Kind::blocked:
            trace().line(total_insns(), "lwp {}: {}({}) blocks", lwp.ordinal, lwp.syscall_name,
                         text);
            break;
        case posix::SysResult::Kind::no_result:
            trace().line(total_insns(), "lwp {}: {}({})", lwp.ordinal, lwp.syscall_name, text);
            break;
        }
    }
    bool keep_running = true;
    switch (result.kind) {
    case posix::SysResult::Kind::value:
        set_syscall_result(result.value);
        break;
    case posix::SysResult::Kind::yield:
        set_syscall_result(result.value);
        keep_running = false;
        break;
    case posix::SysResult::Kind::blocked:
    case posix::SysResult::Kind::no_result:
        break;
    }
    return keep_running && lwp.state == LwpState::runnable;
}

void Process::handle_fault(Lwp& lwp, const SigInfo& info) {
    trace().line(total_insns(), "lwp {}: fault {} at pc {:#x} addr {:#x} ({})", lwp.ordinal,
                 signal_name(info.signo), cpu_->pc(uc_), info.addr, cpu_->describe(uc_));
    // As Linux's force_sig_fault: a blocked or ignored fault signal is
    // unblocked and gets its default action.
    SigAction& fault_action = action(info.signo);
    if ((lwp.sigmask & sigbit(info.signo)) != 0 || fault_action.handler == kSigIgn) {
        lwp.sigmask &= ~sigbit(info.signo);
        if (fault_action.handler == kSigIgn)
            fault_action = SigAction{};
    }
    lwp.pending |= sigbit(info.signo);
    lwp.pending_info[static_cast<std::size_t>(info.signo)] = info;
}

} // namespace crossrt::kernel
