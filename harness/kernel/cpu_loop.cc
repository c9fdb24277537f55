// One run of the CPU on the current LWP and what stopped it: the code hook
// that counts instructions and ends the slice, the trap hooks, the mapping
// of Unicorn's errors to the signal the guest's kernel would send, and the
// dispatch of a trapped syscall to the personality's table.
#include "base/signals.h"
#include "kernel/abi/regs.h"
#include "kernel/abi/x86_check.h"
#include "kernel/kernel.h"
#include "kernel/posix/syscall_table.h"
#include "kernel/process.h"

#include <fmt/format.h>

namespace crossrt::kernel {

// ---- hooks ----

void Process::on_code(u64 address) {
    if (pending_tsc_ != 0)
        write_virtual_tsc();
    if (run_.executed >= run_limit_ && !personality_->is_atomic_region(address)) {
        stopped_at_limit_ = true;
        uc_emu_stop(uc_);
        return;
    }
    ++run_.executed;
    last_pc_ = address;
    if (x86_check_ == nullptr)
        return;
    X86InstructionCheck::Finding finding = x86_check_->check(uc_, address);
    if (finding.misaligned) {
        // #GP before the instruction runs: SIGSEGV with si_addr 0, as Linux.
        on_fault_trap(sig::SEGV, kSiKernel, 0, cpu_->trap_number(FaultKind::protection));
    } else if (finding.reads_tsc != X86InstructionCheck::Tsc::none) {
        // One tick per virtual nanosecond, counted to this instruction.
        pending_tsc_ = finding.reads_tsc == X86InstructionCheck::Tsc::rdtscp ? 2 : 1;
        pending_tsc_value_ = now_ns() + run_.executed;
    }
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
}

void Process::on_syscall_trap() {
    run_.trap.kind = TrapKind::syscall;
    uc_emu_stop(uc_);
}

void Process::on_fault_trap(int signo, int code, u64 address, int trapno) {
    run_.trap.kind = TrapKind::fault;
    run_.trap.fault = SigInfo{signo, code, address, 0, trapno};
    uc_emu_stop(uc_);
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
        info = SigInfo{sig::ILL, kIllIllopn, last_pc_, 0,
                       cpu_->trap_number(FaultKind::invalid_opcode)};
        break;
    }
    bool fetch = error == UC_ERR_FETCH_UNMAPPED || error == UC_ERR_FETCH_PROT;
    if (fetch) {
        cpu_->set_pc(uc_, bad_access_address_);
    } else {
        // The faulting instruction did not complete.
        if (run_.executed > 0)
            --run_.executed;
        cpu_->set_pc(uc_, last_pc_);
    }
    run_.trap.kind = TrapKind::fault;
    run_.trap.fault = info;
}

CpuRun Process::run_cpu(u64 limit) {
    run_limit_ = limit;
    run_ = CpuRun{};
    stopped_at_limit_ = false;
    uc_err error = uc_emu_start(uc_, cpu_->resume_address(uc_), cpu_->never_reached(), 0, 0);
    if (pending_tsc_ != 0)
        write_virtual_tsc(); // the run ended right after rdtsc
    if (error != UC_ERR_OK && run_.trap.kind == TrapKind::none) {
        map_engine_error(error);
    } else if (run_.trap.kind == TrapKind::fault) {
        // A fault hook stops before the faulting instruction completes.
        if (run_.executed > 0)
            --run_.executed;
        cpu_->set_pc(uc_, last_pc_);
    } else if (run_.trap.kind == TrapKind::none && !stopped_at_limit_ && error == UC_ERR_OK) {
        // The CPU stopped by itself: hlt (privileged in user mode).
        cpu_->set_pc(uc_, last_pc_);
        if (run_.executed > 0)
            --run_.executed;
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
