#include "kernel/machine.h"

#include "backend/signals.h"
#include "kernel/abi/x86_align.h"
#include "kernel/linux/table.h"
#include "kernel/netbsd/errno.h"
#include "kernel/netbsd/table.h"
#include "kernel/posix/signals.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <fmt/format.h>
#include <unistd.h>

namespace crossrt::kernel {

std::string_view arch_name(Arch arch) {
    switch (arch) {
    case Arch::amd64:
        return "amd64";
    case Arch::i386:
        return "386";
    case Arch::arm:
        return "arm";
    }
    return "?";
}

std::optional<Injection> parse_injection(std::string_view text) {
    auto at = text.find('@');
    if (at == std::string_view::npos)
        return std::nullopt;
    auto signo = signal_number(text.substr(0, at));
    if (!signo || *signo > sig::max)
        return std::nullopt;
    Injection injection;
    injection.signo = *signo;
    std::string_view rest = text.substr(at + 1);
    auto colon = rest.find(':');
    std::string_view count = rest.substr(0, colon);
    auto [end, error] = std::from_chars(count.data(), count.data() + count.size(), injection.at);
    if (error != std::errc() || end != count.data() + count.size() || count.empty())
        return std::nullopt;
    if (colon != std::string_view::npos) {
        std::string_view lwp = rest.substr(colon + 1);
        auto [lwp_end, lwp_error] =
            std::from_chars(lwp.data(), lwp.data() + lwp.size(), injection.lwp);
        if (lwp_error != std::errc() || lwp_end != lwp.data() + lwp.size() || injection.lwp < 1)
            return std::nullopt;
    }
    return injection;
}

std::unique_ptr<Abi> make_abi(Arch arch) {
    switch (arch) {
    case Arch::amd64:
        return make_abi_amd64();
    case Arch::i386:
        return make_abi_386();
    case Arch::arm:
        return make_abi_arm();
    }
    return nullptr;
}

namespace {

void hook_code(uc_engine*, u64 address, u32, void* user) {
    static_cast<Machine*>(user)->on_code(address);
}

bool hook_invalid(uc_engine*, uc_mem_type type, u64 address, int, i64, void* user) {
    static_cast<Machine*>(user)->on_invalid_memory(type, address);
    return false;
}

} // namespace

Machine::Machine(ElfImage image, MachineOptions options)
    : image_(std::move(image)), options_(std::move(options)),
      personality_(image_.os == "netbsd" ? Personality::netbsd : Personality::linux),
      abi_(make_abi(image_.arch)), scheduler_(options_.seed),
      random_(options_.seed ^ 0x72616e646f6d2121ull) {
    if (personality_ == Personality::netbsd) {
        netbsd_abi_ = make_netbsd_abi(image_.arch);
        table_ = nbsd::make_syscall_table(image_.arch);
    } else {
        table_ = std::make_unique<lnx::SyscallTable>(image_.arch);
    }
}

void Machine::set_syscall_table(std::unique_ptr<posix::SyscallTable> table) {
    table_ = std::move(table);
}

SyscallArgs Machine::syscall_args() {
    return netbsd_abi_ ? netbsd_abi_->syscall_args(*this) : abi_->syscall_args(uc_);
}

void Machine::set_syscall_result(i64 result) {
    if (netbsd_abi_)
        netbsd_abi_->set_result(uc_, result);
    else
        abi_->set_syscall_result(uc_, result);
}

i64 Machine::enosys() const {
    return personality_ == Personality::netbsd ? -nbsd::err::NOSYS : -err::NOSYS;
}

Machine::~Machine() {
    for (auto& lwp : lwps_) {
        for (SavedSignalContext& saved : lwp->signal_contexts)
            uc_context_free(saved.context);
    }
    lwps_.clear();
    if (uc_ != nullptr)
        uc_close(uc_);
}

bool Machine::boot(std::string& error) {
    if (!abi_) {
        error =
            fmt::format("the unicorn kernel cannot run {} binaries yet", arch_name(image_.arch));
        return false;
    }
    if (image_.os != "linux" && image_.os != "netbsd") {
        error = fmt::format("{} is a {} binary: the unicorn kernel has the Linux and NetBSD "
                            "personalities only",
                            image_.path, image_.os);
        return false;
    }
    if (personality_ == Personality::netbsd && !netbsd_abi_) {
        error = fmt::format("the unicorn kernel's NetBSD personality has no {} port",
                            arch_name(image_.arch));
        return false;
    }
    if (!options_.trace_path.empty() && !trace_.open(options_.trace_path)) {
        error = fmt::format("cannot write the trace file {}", options_.trace_path);
        return false;
    }
    if (uc_open(abi_->unicorn_arch(), abi_->unicorn_mode(), &uc_) != UC_ERR_OK) {
        error = "uc_open failed";
        return false;
    }
    AddressSpaceLayout layout;
    layout.limit = abi_->address_limit();
    layout.mmap_top = abi_->stack_top() - (64ull << 20);
    layout.mmap_bottom = 0x10000;
    memory_ = std::make_unique<AddressSpace>(uc_, layout, options_.max_memory);
    if (!abi_->init_cpu(*this, error))
        return false;
    std::string load_error;
    auto program = load_elf(image_, *memory_, abi_->pie_base(), load_error);
    if (!program) {
        error = load_error;
        return false;
    }
    memory_->set_brk_start(program->brk);
    constexpr u64 stack_size = 8ull << 20;
    if (memory_->map_fixed(abi_->stack_top() - stack_size, stack_size, kProtRead | kProtWrite,
                           "[stack]") < 0) {
        error = "cannot map the stack";
        return false;
    }
    StackSpec spec;
    spec.argv = options_.argv;
    spec.envp = options_.envp;
    spec.execfn = options_.argv.empty() ? image_.path : options_.argv[0];
    Prng random(options_.seed ^ 0xa7a7a7a7a7a7a7a7ull);
    for (std::size_t i = 0; i < spec.random.size(); i += 8) {
        u64 word = random.next();
        std::memcpy(spec.random.data() + i, &word, 8);
    }
    spec.netbsd = personality_ == Personality::netbsd;
    if (!spec.netbsd) {
        spec.hwcap = abi_->hwcap();
        spec.platform = abi_->platform();
    }
    auto sp = build_initial_stack(*memory_, abi_->word_size(), abi_->stack_top(), *program, spec);
    if (!sp) {
        error = "the arguments and environment do not fit on the stack";
        return false;
    }
    abi_->set_sp(uc_, sp->sp);
    abi_->set_pc(uc_, program->entry);
    if (netbsd_abi_)
        netbsd_abi_->start_registers(*this, sp->ps_strings);
    add_hooks();

    auto lwp = std::make_unique<Lwp>();
    lwp->ordinal = next_ordinal_++;
    lwp->tid = netbsd_abi_ ? 1 : kGuestPid;
    uc_context* context = nullptr;
    uc_context_alloc(uc_, &context);
    lwp->context.reset(context);
    current_ = lwp.get();
    lwps_.push_back(std::move(lwp));
    save_current();
    trace_.line(0, "boot {} {} entry {:#x} sp {:#x} seed {}", arch_name(image_.arch), image_.path,
                program->entry, sp->sp, options_.seed);
    return true;
}

void Machine::add_hooks() {
    uc_hook hook;
    uc_hook_add(uc_, &hook, UC_HOOK_CODE, reinterpret_cast<void*>(&hook_code), this, 1, 0);
    uc_hook_add(uc_, &hook, UC_HOOK_MEM_INVALID, reinterpret_cast<void*>(&hook_invalid), this, 1,
                0);
    abi_->add_hooks(*this);
    alignment_ = abi_->alignment_check();
}

// ---- hooks ----

void Machine::on_code(u64 address) {
    if (run_executed_ >= run_limit_ && !abi_->is_atomic_region(address)) {
        stopped_at_limit_ = true;
        uc_emu_stop(uc_);
        return;
    }
    ++run_executed_;
    last_pc_ = address;
    if (alignment_ != nullptr && alignment_->misaligned(uc_, address)) {
        // #GP before the instruction runs: SIGSEGV with si_addr 0, as Linux.
        on_fault_trap(sig::SEGV, kSiKernel, 0, 13);
    }
}

void Machine::on_syscall_trap() {
    trap_.kind = TrapKind::syscall;
    uc_emu_stop(uc_);
}

void Machine::on_fault_trap(int signo, int code, u64 address, int trapno) {
    trap_.kind = TrapKind::fault;
    trap_.fault = SigInfo{signo, code, address, 0, trapno};
    uc_emu_stop(uc_);
}

void Machine::on_invalid_memory(uc_mem_type type, u64 address) {
    bad_access_ = true;
    bad_access_type_ = type;
    bad_access_address_ = address;
}

// ---- words ----

bool Machine::read_word(u64 address, u64& value) const {
    if (word_size() == 8)
        return memory_->read_value(address, value);
    u32 word = 0;
    bool ok = memory_->read_value(address, word);
    value = word;
    return ok;
}

bool Machine::write_word(u64 address, u64 value) {
    if (word_size() == 8)
        return memory_->write_value(address, value);
    return memory_->write_value(address, static_cast<u32>(value));
}

// ---- LWPs ----

Lwp* Machine::find_lwp(int tid) {
    for (auto& lwp : lwps_) {
        if (lwp->tid == tid && lwp->state != LwpState::exited)
            return lwp.get();
    }
    return nullptr;
}

Lwp* Machine::create_lwp() {
    auto lwp = std::make_unique<Lwp>();
    lwp->ordinal = next_ordinal_++;
    lwp->tid = netbsd_abi_ ? lwp->ordinal : kGuestPid + lwp->ordinal - 1;
    uc_context* context = nullptr;
    if (uc_context_alloc(uc_, &context) != UC_ERR_OK)
        return nullptr;
    lwp->context.reset(context);
    lwp->state = LwpState::blocked; // not runnable until clone finishes it
    lwps_.push_back(std::move(lwp));
    return lwps_.back().get();
}

void Machine::switch_to(Lwp& lwp) {
    current_ = &lwp;
    uc_context_restore(uc_, lwp.context.get());
}

void Machine::save_current() {
    if (current_ != nullptr)
        uc_context_save(uc_, current_->context.get());
}

void Machine::block(Lwp& lwp, const Wait& wait) {
    lwp.state = LwpState::blocked;
    lwp.wait = wait;
    lwp.blocked_pc = abi_->pc(uc_);
}

void Machine::wake(Lwp& lwp, i64 result) {
    if (lwp.state != LwpState::blocked)
        return;
    lwp.state = LwpState::runnable;
    lwp.wait = Wait{};
    lwp.resume_result = result;
}

int Machine::futex_wake(u64 address, int count, u32 bitset) {
    std::vector<Lwp*> waiters;
    for (auto& lwp : lwps_) {
        if (lwp->state == LwpState::blocked && lwp->wait.kind == WaitKind::futex &&
            lwp->wait.address == address && (lwp->wait.bitset & bitset) != 0)
            waiters.push_back(lwp.get());
    }
    std::sort(waiters.begin(), waiters.end(),
              [](const Lwp* a, const Lwp* b) { return a->wait.sequence < b->wait.sequence; });
    int woken = 0;
    for (Lwp* lwp : waiters) {
        if (woken >= count)
            break;
        wake(*lwp, 0);
        ++woken;
    }
    return woken;
}

void Machine::exit_lwp(Lwp& lwp, int code) {
    lwp.state = LwpState::exited;
    lwp.exit_code = code;
    trace_.line(total_insns_, "lwp {} exits ({})", lwp.ordinal, code);
    if (lwp.clear_child_tid != 0) {
        memory_->write_value(lwp.clear_child_tid, u32{0});
        futex_wake(lwp.clear_child_tid, 1, ~u32{0});
    }
    bool any_alive = std::any_of(lwps_.begin(), lwps_.end(), [](const auto& other) {
        return other->state != LwpState::exited;
    });
    if (!any_alive)
        exit_process(code);
}

void Machine::exit_process(int code) {
    end_run(EndKind::exited, code & 0xff, "");
}

void Machine::kill_process(int signo) {
    end_run(EndKind::signaled, signo, "");
}

void Machine::end_run(EndKind kind, int status, std::string detail) {
    if (end_)
        return;
    end_ = RunEnd{kind, status, std::move(detail)};
    trace_.line(total_insns_, "end {} {}{}",
                kind == EndKind::exited     ? "exit"
                : kind == EndKind::signaled ? "signal"
                : kind == EndKind::deadlock ? "deadlock"
                : kind == EndKind::budget   ? "budget"
                                            : "error",
                kind == EndKind::signaled ? signal_name(status) : std::to_string(status),
                end_->detail.empty() ? "" : ": " + end_->detail);
}

void Machine::note(const std::string& text) {
    std::string line = "crossrt-kernel: " + text + "\n";
    ssize_t ignored = ::write(options_.err_fd, line.data(), line.size());
    (void)ignored;
}

i64 Machine::unsupported(const SyscallArgs& args, std::string_view name) {
    std::string what = name.empty() ? fmt::format("syscall {}", args.nr)
                                    : fmt::format("syscall {} ({})", args.nr, name);
    if (options_.strict) {
        end_run(EndKind::unsupported, 0,
                fmt::format("unsupported {} called by lwp {} (--strict)", what, current_->ordinal));
        return enosys();
    }
    if (noted_syscalls_.insert(args.nr).second)
        note(fmt::format("unsupported {}: ENOSYS", what));
    return enosys();
}

// ---- the run loop ----

RunEnd Machine::run() {
    while (!end_) {
        expire_waits();
        std::vector<Lwp*> runnable;
        for (auto& lwp : lwps_) {
            if (lwp->state == LwpState::runnable)
                runnable.push_back(lwp.get());
        }
        if (runnable.empty()) {
            if (auto deadline = earliest_deadline()) {
                if (*deadline > now_ns()) {
                    trace_.line(total_insns_, "idle: time jumps {} ns", *deadline - now_ns());
                    jumped_ns_ += *deadline - now_ns();
                }
                fire_events(*current_);
                continue;
            }
            report_deadlock();
            break;
        }
        Lwp& next = *runnable[scheduler_.pick(runnable.size())];
        run_lwp(next);
    }
    trace_.flush();
    return *end_;
}

std::optional<u64> Machine::earliest_deadline() const {
    std::optional<u64> earliest;
    auto consider = [&](u64 deadline) {
        if (!earliest || deadline < *earliest)
            earliest = deadline;
    };
    for (const auto& lwp : lwps_) {
        if (lwp->state == LwpState::blocked && lwp->wait.deadline)
            consider(*lwp->wait.deadline);
    }
    if (itimers[0].next)
        consider(*itimers[0].next);
    return earliest;
}

void Machine::expire_waits() {
    for (auto& lwp : lwps_) {
        if (lwp->state != LwpState::blocked || !lwp->wait.deadline ||
            *lwp->wait.deadline > now_ns())
            continue;
        i64 result = lwp->wait.kind == WaitKind::futex ? -err::TIMEDOUT : lwp->wait.timeout_result;
        trace_.line(total_insns_, "lwp {} wakes: timeout", lwp->ordinal);
        wake(*lwp, result);
    }
}

void Machine::report_deadlock() {
    std::string detail = "every LWP is blocked and no timer is pending:";
    for (const auto& lwp : lwps_) {
        if (lwp->state == LwpState::exited)
            continue;
        detail += fmt::format(" lwp {} (tid {}) at pc {:#x} in {}", lwp->ordinal, lwp->tid,
                              lwp->blocked_pc, lwp->syscall_name.empty() ? "?" : lwp->syscall_name);
        if (lwp->wait.kind == WaitKind::futex)
            detail += fmt::format(" waiting on {:#x}", lwp->wait.address);
        if (lwp->wait.kind == WaitKind::lwp_park)
            detail += fmt::format(" parked (hint {:#x})", lwp->wait.address);
        if (lwp->wait.kind == WaitKind::kevent)
            detail += fmt::format(" waiting on kqueue {}", lwp->wait.fd);
        detail += ";";
    }
    detail.pop_back();
    end_run(EndKind::deadlock, 0, detail);
}

u64 Machine::next_event_distance(const Lwp& lwp) const {
    u64 distance = ~u64{0};
    auto consider = [&](u64 at, u64 now) {
        distance = std::min(distance, at > now ? at - now : 0);
    };
    for (const Injection& injection : options_.injections) {
        if (injection.done)
            continue;
        if (injection.lwp == 0)
            consider(injection.at, total_insns_);
        else if (injection.lwp == lwp.ordinal)
            consider(injection.at, lwp.insns);
    }
    if (itimers[0].next)
        consider(*itimers[0].next, now_ns());
    if (itimers[1].next)
        consider(*itimers[1].next, cpu_ns());
    if (itimers[2].next)
        consider(*itimers[2].next, cpu_ns());
    for (const auto& other : lwps_) {
        if (other->state == LwpState::blocked && other->wait.deadline)
            consider(*other->wait.deadline, now_ns());
    }
    consider(options_.max_insns, total_insns_);
    return distance;
}

void Machine::fire_events(Lwp& lwp) {
    for (Injection& injection : options_.injections) {
        if (injection.done)
            continue;
        bool due = injection.lwp == 0 ? total_insns_ >= injection.at
                                      : injection.lwp == lwp.ordinal && lwp.insns >= injection.at;
        if (!due || lwp.state != LwpState::runnable)
            continue;
        injection.done = true;
        trace_.line(total_insns_, "inject {} -> lwp {} at pc {:#x}", signal_name(injection.signo),
                    lwp.ordinal, abi_->pc(uc_));
        send_to_thread(lwp, SigInfo{injection.signo, kSiKernel, 0, 0, 0});
    }
    const int timer_signals[3] = {sig::ALRM, sig::VTALRM, sig::PROF};
    for (int which = 0; which < 3; ++which) {
        ITimer& timer = itimers[which];
        u64 now = which == 0 ? now_ns() : cpu_ns();
        if (!timer.next || *timer.next > now)
            continue;
        if (timer.interval_ns != 0) {
            while (*timer.next <= now)
                *timer.next += timer.interval_ns;
        } else {
            timer.next.reset();
        }
        trace_.line(total_insns_, "timer {} fires", signal_name(timer_signals[which]));
        send_to_process(SigInfo{timer_signals[which], kSiKernel, 0, 0, 0});
    }
    expire_waits();
    if (total_insns_ >= options_.max_insns)
        end_run(EndKind::budget, 0,
                fmt::format("instruction budget of {} exhausted", options_.max_insns));
}

u64 Machine::run_cpu(u64 limit) {
    run_limit_ = limit;
    run_executed_ = 0;
    stopped_at_limit_ = false;
    trap_ = Trap{};
    bad_access_ = false;
    uc_err error = uc_emu_start(uc_, abi_->resume_address(uc_), abi_->never_reached(), 0, 0);
    if (error != UC_ERR_OK && trap_.kind == TrapKind::none) {
        SigInfo info{sig::SEGV, 1 /*SEGV_MAPERR*/, bad_access_address_, 0, 14};
        switch (error) {
        case UC_ERR_READ_UNMAPPED:
        case UC_ERR_WRITE_UNMAPPED:
        case UC_ERR_FETCH_UNMAPPED:
            // A PROT_NONE reservation is not mapped in Unicorn, but for the
            // guest it is mapped memory it may not touch.
            if (memory_->find(bad_access_address_) != nullptr)
                info.code = 2; // SEGV_ACCERR
            break;
        case UC_ERR_READ_PROT:
        case UC_ERR_WRITE_PROT:
        case UC_ERR_FETCH_PROT:
            info.code = 2; // SEGV_ACCERR
            break;
        case UC_ERR_READ_UNALIGNED:
        case UC_ERR_WRITE_UNALIGNED:
        case UC_ERR_FETCH_UNALIGNED:
            info = SigInfo{sig::BUS, 1 /*BUS_ADRALN*/, bad_access_address_, 0, 17};
            break;
        default:
            info = SigInfo{sig::ILL, 2 /*ILL_ILLOPN*/, last_pc_, 0, 6};
            break;
        }
        bool fetch = error == UC_ERR_FETCH_UNMAPPED || error == UC_ERR_FETCH_PROT;
        if (fetch) {
            abi_->set_pc(uc_, bad_access_address_);
        } else {
            // The faulting instruction did not complete.
            if (run_executed_ > 0)
                --run_executed_;
            abi_->set_pc(uc_, last_pc_);
        }
        trap_.kind = TrapKind::fault;
        trap_.fault = info;
    } else if (trap_.kind == TrapKind::fault) {
        if (run_executed_ > 0)
            --run_executed_;
        abi_->set_pc(uc_, last_pc_);
    } else if (trap_.kind == TrapKind::none && !stopped_at_limit_ && error == UC_ERR_OK) {
        // The CPU stopped by itself: hlt (privileged in user mode).
        abi_->set_pc(uc_, last_pc_);
        if (run_executed_ > 0)
            --run_executed_;
        trap_.kind = TrapKind::fault;
        trap_.fault = SigInfo{sig::SEGV, kSiKernel, 0, 0, 13};
    }
    return run_executed_;
}

void Machine::run_lwp(Lwp& lwp) {
    switch_to(lwp);
    u64 slice = scheduler_.slice();
    trace_.line(total_insns_, "run lwp {} for {}", lwp.ordinal, slice);
    if (lwp.resume_result) {
        set_syscall_result(*lwp.resume_result);
        trace_.line(total_insns_, "lwp {}: {} returns {}", lwp.ordinal, lwp.syscall_name,
                    *lwp.resume_result);
        lwp.resume_result.reset();
    }
    if (lwp.interrupted)
        resume_interrupted(lwp);
    fire_events(lwp);
    deliver_signals(lwp);
    u64 used = 0;
    while (!end_ && lwp.state == LwpState::runnable && used < slice) {
        u64 limit = std::min(slice - used, next_event_distance(lwp));
        u64 executed = limit == 0 ? 0 : run_cpu(limit);
        used += executed;
        lwp.insns += executed;
        total_insns_ += executed;
        bool keep_running = true;
        if (limit != 0) {
            switch (trap_.kind) {
            case TrapKind::syscall:
                handle_syscall(lwp, keep_running);
                break;
            case TrapKind::fault:
                handle_fault(lwp, trap_.fault);
                break;
            case TrapKind::none:
                break;
            }
        }
        if (end_)
            break;
        fire_events(lwp);
        if (lwp.state == LwpState::runnable)
            deliver_signals(lwp);
        if (!keep_running)
            break;
        if (limit == 0 && next_event_distance(lwp) == 0)
            break; // an event is due that this LWP cannot take: let others run
    }
    if (lwp.state != LwpState::exited)
        save_current();
}

void Machine::handle_syscall(Lwp& lwp, bool& keep_running) {
    SyscallArgs args = syscall_args();
    lwp.syscall = args;
    const lnx::SyscallEntry* entry = table_->find(args.nr);
    lwp.syscall_name = entry != nullptr ? std::string(entry->name) : fmt::format("#{}", args.nr);
    lnx::SysResult result;
    if (entry == nullptr || entry->handler == nullptr) {
        result = lnx::SysResult::of(unsupported(args, entry != nullptr ? entry->name : ""));
    } else {
        result = entry->handler(*this, lwp, args);
    }
    if (trace_.enabled()) {
        int nargs = entry != nullptr ? entry->nargs : 6;
        std::string text;
        for (int i = 0; i < nargs; ++i)
            text += fmt::format("{}{:#x}", i == 0 ? "" : ", ", args.a[static_cast<std::size_t>(i)]);
        switch (result.kind) {
        case lnx::SysResult::Kind::value:
        case lnx::SysResult::Kind::yield:
            trace_.line(total_insns_, "lwp {}: {}({}) = {}", lwp.ordinal, lwp.syscall_name, text,
                        result.value);
            break;
        case lnx::SysResult::Kind::blocked:
            trace_.line(total_insns_, "lwp {}: {}({}) blocks", lwp.ordinal, lwp.syscall_name, text);
            break;
        case lnx::SysResult::Kind::no_result:
            trace_.line(total_insns_, "lwp {}: {}({})", lwp.ordinal, lwp.syscall_name, text);
            break;
        }
    }
    switch (result.kind) {
    case lnx::SysResult::Kind::value:
        set_syscall_result(result.value);
        break;
    case lnx::SysResult::Kind::yield:
        set_syscall_result(result.value);
        keep_running = false;
        break;
    case lnx::SysResult::Kind::blocked:
    case lnx::SysResult::Kind::no_result:
        break;
    }
    if (lwp.state != LwpState::runnable)
        keep_running = false;
}

void Machine::handle_fault(Lwp& lwp, const SigInfo& info) {
    trace_.line(total_insns_, "lwp {}: fault {} at pc {:#x} addr {:#x} ({})", lwp.ordinal,
                signal_name(info.signo), abi_->pc(uc_), info.addr, abi_->describe(uc_));
    // As Linux's force_sig_fault: a blocked or ignored fault signal is
    // unblocked and gets its default action.
    SigAction& action = actions[static_cast<std::size_t>(info.signo)];
    if ((lwp.sigmask & sigbit(info.signo)) != 0 || action.handler == 1) {
        lwp.sigmask &= ~sigbit(info.signo);
        if (action.handler == 1)
            action = SigAction{};
    }
    lwp.pending |= sigbit(info.signo);
    lwp.pending_info[static_cast<std::size_t>(info.signo)] = info;
}

// ---- signals ----

bool Machine::default_ignores(int signo) const {
    return signo == sig::CHLD || signo == sig::URG || signo == sig::WINCH || signo == sig::CONT ||
           signo == sig::STOP || signo == sig::TSTP || signo == sig::TTIN || signo == sig::TTOU;
}

bool Machine::is_ignored(int signo) const {
    const SigAction& action = actions[static_cast<std::size_t>(signo)];
    return action.handler == 1 || (action.handler == 0 && default_ignores(signo));
}

bool Machine::on_altstack(const Lwp& lwp, u64 sp) const {
    return !lwp.altstack.disabled && sp > lwp.altstack.sp &&
           sp <= lwp.altstack.sp + lwp.altstack.size;
}

void Machine::send_to_thread(Lwp& lwp, const SigInfo& info) {
    if (info.signo == sig::KILL) {
        kill_process(sig::KILL);
        return;
    }
    if (is_ignored(info.signo) && (lwp.sigmask & sigbit(info.signo)) == 0)
        return;
    lwp.pending |= sigbit(info.signo);
    lwp.pending_info[static_cast<std::size_t>(info.signo)] = info;
    wake_for_signal(lwp, info.signo);
}

void Machine::send_to_process(const SigInfo& info) {
    if (info.signo == sig::KILL) {
        kill_process(sig::KILL);
        return;
    }
    u64 bit = sigbit(info.signo);
    bool blocked_everywhere = true;
    for (const auto& lwp : lwps_) {
        if (lwp->state != LwpState::exited && (lwp->sigmask & bit) == 0)
            blocked_everywhere = false;
    }
    if (is_ignored(info.signo) && !blocked_everywhere)
        return;
    shared_pending |= bit;
    shared_info[static_cast<std::size_t>(info.signo)] = info;
    // The running LWP takes it when it can; else the first that does not
    // block it is woken.
    if (current_ != nullptr && current_->state == LwpState::runnable &&
        (current_->sigmask & bit) == 0)
        return;
    for (auto& lwp : lwps_) {
        if (lwp->state == LwpState::exited || (lwp->sigmask & bit) != 0)
            continue;
        wake_for_signal(*lwp, info.signo);
        return;
    }
}

void Machine::wake_for_signal(Lwp& lwp, int signo) {
    if (lwp.state != LwpState::blocked || (lwp.sigmask & sigbit(signo)) != 0)
        return;
    if (lwp.wait.kind == WaitKind::none)
        return; // blocked in clone set-up, not in a wait
    trace_.line(total_insns_, "lwp {} interrupted by {}", lwp.ordinal, signal_name(signo));
    Wait wait = lwp.wait;
    wake(lwp, -err::INTR);
    lwp.wait = wait; // kept for resume_interrupted
    lwp.interrupted = true;
}

int Machine::next_signal(const Lwp& lwp) const {
    u64 deliverable = (lwp.pending | shared_pending) & (~lwp.sigmask | posix::kUnmaskable);
    if (deliverable == 0)
        return 0;
    // Synchronous faults first, as Linux does, then the lowest number.
    for (int signo : {sig::SEGV, sig::BUS, sig::ILL, sig::TRAP, sig::FPE, sig::SYS}) {
        if ((lwp.pending & deliverable & sigbit(signo)) != 0)
            return signo;
    }
    return __builtin_ctzll(deliverable) + 1;
}

SigInfo Machine::take_signal(Lwp& lwp, int signo) {
    u64 bit = sigbit(signo);
    auto index = static_cast<std::size_t>(signo);
    if ((lwp.pending & bit) != 0) {
        lwp.pending &= ~bit;
        return lwp.pending_info[index];
    }
    shared_pending &= ~bit;
    return shared_info[index];
}

void Machine::resume_interrupted(Lwp& lwp) {
    lwp.interrupted = false;
    int signo = next_signal(lwp);
    const SigAction* action = signo != 0 ? &actions[static_cast<std::size_t>(signo)] : nullptr;
    bool handler = action != nullptr && action->handler > 1;
    if (handler && !(lwp.wait.restartable && (action->flags & kSaRestart) != 0)) {
        set_syscall_result(-err::INTR); // EINTR is 4 on Linux and NetBSD
        if (lwp.wait.kind == WaitKind::sleep && lwp.wait.remaining_out != 0 && lwp.wait.deadline) {
            u64 left = *lwp.wait.deadline > now_ns() ? *lwp.wait.deadline - now_ns() : 0;
            write_word(lwp.wait.remaining_out, left / kNsPerSecond);
            write_word(lwp.wait.remaining_out + static_cast<u64>(word_size()), left % kNsPerSecond);
        }
        trace_.line(total_insns_, "lwp {}: {} returns -EINTR", lwp.ordinal, lwp.syscall_name);
    } else {
        if (netbsd_abi_)
            netbsd_abi_->rewind_syscall(uc_, lwp.syscall);
        else
            abi_->rewind_syscall(uc_, lwp.syscall);
        trace_.line(total_insns_, "lwp {}: {} restarts", lwp.ordinal, lwp.syscall_name);
    }
    lwp.wait = Wait{};
}

void Machine::deliver_signals(Lwp& lwp) {
    while (!end_ && lwp.state == LwpState::runnable) {
        int signo = next_signal(lwp);
        if (signo == 0)
            return;
        SigInfo info = take_signal(lwp, signo);
        SigAction& action = actions[static_cast<std::size_t>(signo)];
        if (action.handler == 1)
            continue;
        if (action.handler == 0) {
            if (default_ignores(signo))
                continue;
            trace_.line(total_insns_, "lwp {}: {} kills the process at pc {:#x}", lwp.ordinal,
                        signal_name(signo), abi_->pc(uc_));
            kill_process(signo);
            return;
        }
        SignalDelivery delivery;
        delivery.signo = signo;
        delivery.info = info;
        delivery.handler = action.handler;
        delivery.flags = action.flags;
        delivery.restorer = action.restorer;
        delivery.old_mask = lwp.sigmask;
        delivery.altstack = lwp.altstack;
        u64 sp = abi_->sp(uc_);
        delivery.on_altstack = on_altstack(lwp, sp);
        delivery.sp = sp;
        if ((action.flags & kSaOnstack) != 0 && !lwp.altstack.disabled && !delivery.on_altstack)
            delivery.sp = lwp.altstack.sp + lwp.altstack.size;
        u64 pc = abi_->pc(uc_);
        uc_context* saved = nullptr;
        uc_context_alloc(uc_, &saved);
        uc_context_save(uc_, saved);
        bool pushed = netbsd_abi_ ? push_netbsd_frame(lwp, delivery, action)
                                  : abi_->push_signal_frame(*this, lwp, delivery);
        if (!pushed) {
            uc_context_free(saved);
            trace_.line(total_insns_, "lwp {}: cannot write the frame for {}: SIGSEGV", lwp.ordinal,
                        signal_name(signo));
            kill_process(sig::SEGV);
            return;
        }
        // The key setcontext / sigreturn finds the saved state by: NetBSD's
        // trampoline passes the ucontext, Linux's sigreturn the frame's sp.
        u64 frame = netbsd_abi_ ? netbsd_frame_ : abi_->sp(uc_);
        lwp.signal_contexts.push_back({frame, saved});
        if (lwp.signal_contexts.size() > 64) {
            uc_context_free(lwp.signal_contexts.front().context);
            lwp.signal_contexts.erase(lwp.signal_contexts.begin());
        }
        lwp.sigmask |= action.mask;
        if ((action.flags & kSaNodefer) == 0)
            lwp.sigmask |= sigbit(signo);
        lwp.sigmask &= ~posix::kUnmaskable;
        if ((action.flags & kSaResethand) != 0)
            action = SigAction{};
        trace_.line(total_insns_,
                    "signal {} -> lwp {} at pc {:#x} sp {:#x}: handler {:#x} frame "
                    "{:#x}",
                    signal_name(signo), lwp.ordinal, pc, sp, delivery.handler, frame);
        return; // one frame per return to user mode; the next after sigreturn
    }
}

} // namespace crossrt::kernel
