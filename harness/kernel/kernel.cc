#include "kernel/kernel.h"

#include "base/signals.h"
#include "kernel/posix/interp.h"
#include "kernel/posix/socket.h"

#include <algorithm>
#include <fmt/format.h>
#include <utility>

namespace crossrt::kernel {

std::unique_ptr<Personality> make_personality(const std::string& os, const Cpu& cpu) {
    if (os == "linux")
        return make_linux_personality(cpu);
    if (os == "netbsd")
        return make_netbsd_personality(cpu);
    return nullptr;
}

Kernel::Kernel(KernelOptions options)
    : options_(std::move(options)), policy_(options_.policy, options_.seed),
      random_(options_.seed ^ 0x72616e646f6d2121ull), network_(std::make_unique<posix::Network>()) {
}

Kernel::~Kernel() = default;

bool Kernel::boot(ElfImage image, std::string& error) {
    if (options_.cpus < 1 || options_.cpus > kMaxCpus) {
        error = fmt::format("the unicorn kernel presents 1 to {} CPUs, not {}", kMaxCpus,
                            options_.cpus);
        return false;
    }
    std::unique_ptr<Cpu> cpu = make_cpu(image.arch);
    if (!cpu) {
        error = fmt::format("the unicorn kernel cannot run {} binaries yet", arch_name(image.arch));
        return false;
    }
    std::unique_ptr<Personality> personality = make_personality(image.os, *cpu);
    if (image.os != "linux" && image.os != "netbsd") {
        error = fmt::format("{} is a {} binary: the unicorn kernel has the Linux and NetBSD "
                            "personalities only",
                            image.path, image.os);
        return false;
    }
    if (!personality) {
        error = fmt::format("the unicorn kernel's {} personality has no {} port", image.os,
                            arch_name(image.arch));
        return false;
    }
    if (!options_.trace_path.empty() && !trace_.open(options_.trace_path)) {
        error = fmt::format("cannot write the trace file {}", options_.trace_path);
        return false;
    }
    // File times are on CLOCK_REALTIME, as time(2) shows them.
    fs_ = std::make_unique<posix::FileSystem>([this] { return kRealtimeOffset + now_ns(); });
    fs_->linux_files = image.os == "linux";
    posix::FileSystemSetup setup;
    setup.sysroot = options_.sysroot;
    setup.mounts = options_.mounts;
    setup.cwd = options_.cwd;
    setup.capacity = options_.max_memory;
    setup.executable_host = options_.executable.empty() ? image.path : options_.executable;
    // The guest finds its program where its argv[0] says (go's
    // os.Executable reads /proc/self/exe, a test re-executes that).
    std::string argv0 = options_.argv.empty() ? "" : options_.argv.front();
    if (argv0.starts_with("/"))
        setup.executable_path = argv0;
    else if (!argv0.empty())
        setup.executable_path = (options_.cwd == "/" ? "" : options_.cwd) + "/" + argv0;
    posix::NodePtr cwd;
    if (!posix::setup_file_system(*fs_, setup, cwd, error))
        return false;
    std::string why;
    if (i64 failed = posix::attach_interpreter(fs_->tree, image, why); failed != 0) {
        error = fmt::format("{} is dynamically linked and {}", image.path, why);
        return false;
    }
    processes_.push_back(std::make_unique<Process>(*this, kGuestPid, std::move(image),
                                                   std::move(cpu), std::move(personality)));
    Process& process = *processes_.back();
    process.cwd() = cwd;
    process.set_exe_path(fs_->executable);
    if (!process.boot(error))
        return false;
    current_ = process.lwps().front().get();
    return options_.timeline_path.empty() || open_timeline(options_.timeline_path, error);
}

bool Kernel::open_timeline(const std::string& path, std::string& error) {
    options_.timeline_path = path;
    if (!timeline_.open(path)) {
        error = fmt::format("cannot write the timeline file {}", path);
        return false;
    }
    timeline_.observe(processes_, nullptr, now_ns());
    return true;
}

bool Kernel::reseed(u64 seed, const std::string& trace_path, std::string& error) {
    options_.seed = seed;
    options_.trace_path = trace_path;
    policy_ = SchedulePolicy(options_.policy, seed);
    random_ = Prng(seed ^ 0x72616e646f6d2121ull);
    if (!trace_path.empty() && !trace_.open(trace_path)) {
        error = fmt::format("cannot write the trace file {}", trace_path);
        return false;
    }
    main_process().apply_seed();
    return true;
}

Process* Kernel::find_process(int pid) {
    for (const auto& process : processes_) {
        if (process->pid() == pid)
            return process.get();
    }
    return nullptr;
}

Process& Kernel::add_process(std::unique_ptr<Process> process) {
    processes_.push_back(std::move(process));
    return *processes_.back();
}

void Kernel::end_run(EndKind kind, int status, std::string detail) {
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

void Kernel::request_replay(u64 begin, u64 end) {
    if (end_)
        return;
    replay_ = std::pair{begin, end};
    end_ = RunEnd{EndKind::error, 0,
                  fmt::format("a fault in the block at {:#x} needs a replay", begin)};
}

u64 Kernel::output_to_skip(int host_fd, u64 length) {
    u64* written = host_fd == options_.out_fd   ? &written_out_
                   : host_fd == options_.err_fd ? &written_err_
                                                : nullptr;
    if (written == nullptr)
        return 0;
    u64 already = host_fd == options_.out_fd ? options_.written_out : options_.written_err;
    u64 skip = *written >= already ? 0 : std::min(length, already - *written);
    *written += length;
    return skip;
}

// ---- the run loop ----

std::size_t Kernel::live_lwps() const {
    std::size_t count = 0;
    for (const auto& process : processes_) {
        for (const auto& lwp : process->lwps())
            count += lwp->state != LwpState::exited;
    }
    return count;
}

std::vector<Lwp*> Kernel::runnable() const {
    std::vector<Lwp*> lwps;
    for (const auto& process : processes_) {
        for (const auto& lwp : process->lwps()) {
            if (lwp->state == LwpState::runnable)
                lwps.push_back(lwp.get());
        }
    }
    return lwps;
}

RunEnd Kernel::run() {
    return *run_until(~u64{0});
}

std::optional<RunEnd> Kernel::run_until(u64 pause_at) {
    pause_at_ = pause_at;
    requested_pause_.reset();
    if (!end_ && total_insns_ >= pause_at_)
        return std::nullopt;
    if (slice_ && !end_ && !continue_slice()) {
        trace_.flush();
        timeline_.flush();
        return std::nullopt;
    }
    while (!end_) {
        if (total_insns_ >= pause_at_) {
            trace_.flush(); // a fork must not write the buffered lines again
            timeline_.flush();
            return std::nullopt;
        }
        // No engine runs between slices: the ended processes' go now.
        for (const auto& process : processes_)
            process->release_engine();
        expire_waits();
        if (timeline_.enabled())
            timeline_.observe(processes_, nullptr, now_ns());
        std::vector<Lwp*> ready = runnable();
        if (ready.empty()) {
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
        auto [next, length] = chosen_at_sync_ ? *std::exchange(chosen_at_sync_, std::nullopt)
                                              : choose(ready, slice_end_kind_);
        if (next == nullptr)
            break;
        start_slice(*next, length);
        if (!continue_slice()) {
            trace_.flush();
            timeline_.flush();
            return std::nullopt;
        }
    }
    trace_.flush();
    timeline_.finish(now_ns());
    return *end_;
}

std::pair<Lwp*, u64> Kernel::choose(const std::vector<Lwp*>& ready, PointKind kind) {
    PointView view;
    view.kind = kind;
    if (current_ != nullptr && kind != PointKind::start)
        view.current = LwpId{current_->process->pid(), current_->ordinal};
    view.runnable.reserve(ready.size());
    for (const Lwp* each : ready)
        view.runnable.push_back({each->process->pid(), each->ordinal});
    std::size_t fallback = policy_.fallback(view);
    // The policy's choice first, always: a replay draws what the run it
    // replays drew.
    auto [index, length] = policy_.choose(view);
    Lwp* lwp = ready[index];
    if (replayed_ < options_.replay_schedule.size()) {
        const Decision& decision = options_.replay_schedule[replayed_];
        auto named = std::find_if(ready.begin(), ready.end(), [&](const Lwp* each) {
            return each->process->pid() == decision.pid && each->ordinal == decision.lwp;
        });
        if (named == ready.end()) {
            std::string runnable;
            for (const Lwp* each : ready)
                runnable += fmt::format(" {}:{}", each->process->pid(), each->ordinal);
            end_run(EndKind::error, 0,
                    fmt::format("the schedule does not fit this run: its decision {} gives the "
                                "CPU to lwp {} of pid {}, which cannot run now (runnable, "
                                "pid:lwp:{})",
                                replayed_ + 1, decision.lwp, decision.pid, runnable));
            return {nullptr, 0};
        }
        ++replayed_;
        lwp = *named;
        length = decision.length;
    }
    policy_.note_choice(view, {lwp->process->pid(), lwp->ordinal});
    if (options_.record_schedule)
        decisions_.push_back({lwp->process->pid(), lwp->ordinal, length});
    for (u64 word : {static_cast<u64>(lwp->process->pid()), static_cast<u64>(lwp->ordinal), length})
        schedule_hash_ = (schedule_hash_ ^ word) * 0x100000001b3ull;
    if (options_.record_points) {
        PointRecord record;
        record.kind = kind;
        record.current = view.current;
        record.fallback = view.runnable[fallback];
        record.chosen = {lwp->process->pid(), lwp->ordinal};
        record.preemptible = kind != PointKind::yield && view.current &&
                             std::find(view.runnable.begin(), view.runnable.end(), *view.current) !=
                                 view.runnable.end();
        record.runnable = std::move(view.runnable);
        points_.push_back(std::move(record));
    }
    return {lwp, length};
}

bool Kernel::defer_at_sync_point(Lwp& lwp) {
    if (!policy_.decides_at_sync_points() || !lwp.process->at_sync_call())
        return false;
    std::vector<Lwp*> ready = runnable();
    auto [next, length] = choose(ready, PointKind::sync);
    if (next == nullptr)
        return true; // the run ended (a schedule that does not fit)
    if (next == &lwp) {
        slice_->length = slice_->used + length; // a new quantum
        return false;
    }
    trace_.line(total_insns_, "lwp {} preempted at {}", lwp.ordinal, lwp.process->trap_name());
    lwp.call_deferred = true;
    chosen_at_sync_ = std::pair{next, length};
    return true;
}

void Kernel::start_slice(Lwp& lwp, u64 length) {
    Process& process = *lwp.process;
    current_ = &lwp;
    process.switch_to(lwp);
    if (&process == processes_.front().get())
        trace_.line(total_insns_, "run lwp {} for {}", lwp.ordinal, length);
    else
        trace_.line(total_insns_, "run lwp {} of pid {} for {}", lwp.ordinal, process.pid(),
                    length);
    if (timeline_.enabled()) {
        timeline_.observe(processes_, &lwp, now_ns());
        timeline_.scheduled(lwp, length, now_ns());
    }
    process.resume(lwp);
    // The call it was preempted at (defer_at_sync_point) takes effect now.
    if (std::exchange(lwp.call_deferred, false))
        process.handle_syscall(lwp);
    fire_events(lwp);
    if (lwp.state == LwpState::runnable)
        process.deliver_signals(lwp);
    slice_ = Slice{&lwp, length, 0, std::nullopt, std::nullopt};
    if (slice_watch_)
        slice_watch_(lwp, total_insns_);
}

bool Kernel::continue_slice() {
    Slice& slice = *slice_;
    Lwp& lwp = *slice.lwp;
    Process& process = *lwp.process;
    bool yielded = false;
    // A run the pause cut goes on even past the slice's length: it would
    // have ended only at the next block a jump arrives at.
    while (!end_ && lwp.state == LwpState::runnable &&
           (slice.cpu || slice.held || slice.used < slice.length)) {
        std::optional<CpuResume> resume = std::exchange(slice.cpu, std::nullopt);
        std::optional<CpuRun> held = std::exchange(slice.held, std::nullopt);
        if (!resume && !held && total_insns_ >= pause_at_)
            return false; // between two runs of the CPU: nothing to carry over
        // Timers and the slice end at a block boundary; an injection lands
        // on its exact instruction, and so does a pause.
        std::optional<u64> exact = next_injection_distance(lwp);
        u64 limit = 0;
        if (resume) {
            limit = resume->soft_end > total_insns_ ? resume->soft_end - total_insns_ : 0;
        } else {
            limit = std::min(slice.length - slice.used, next_event_distance(lwp));
            if (exact)
                limit = std::min(limit, *exact);
        }
        std::optional<u64> stop = exact;
        if (pause_at_ > total_insns_)
            stop = std::min(exact.value_or(~u64{0}), pause_at_ - total_insns_);
        bool keep_running = true;
        bool deferred = false;
        bool ran = held || resume || limit != 0;
        if (ran) {
            CpuRun run;
            if (held) {
                run = *held;
            } else {
                u64 soft_end = total_insns_ + limit;
                run = process.run_cpu(limit, stop,
                                      resume ? std::optional<bool>(resume->may_end) : std::nullopt);
                slice.used += run.executed;
                total_insns_ += run.executed;
                process.count_instructions(lwp, run.executed);
                if (run.trap.kind == TrapKind::none && process.stopped_exactly() &&
                    total_insns_ >= pause_at_ && !injection_due(lwp)) {
                    // Paused inside this run: the next one goes on as its rest.
                    slice.cpu = CpuResume{soft_end, process.resume_may_end()};
                    return false;
                }
                if (run.trap.kind == TrapKind::syscall && syscall_watch_ &&
                    syscall_watch_(lwp, process.syscall_args().nr, true)) {
                    slice.held = run; // paused at the entry: handled when it goes on
                    return false;
                }
            }
            switch (run.trap.kind) {
            case TrapKind::syscall:
                if (defer_at_sync_point(lwp)) {
                    deferred = true;
                    break;
                }
                keep_running = process.handle_syscall(lwp);
                if (timeline_.enabled())
                    timeline_.syscall(lwp, now_ns());
                if (syscall_watch_ && syscall_watch_(lwp, lwp.syscall.nr, false))
                    request_pause(total_insns_);
                break;
            case TrapKind::fault:
                process.handle_fault(lwp, run.trap.fault);
                break;
            case TrapKind::none:
                break;
            }
        }
        // A call deferred at a synchronisation point takes effect when the
        // LWP runs again: nothing may come between it and its trap.
        if (end_ || deferred)
            break;
        fire_events(lwp);
        if (lwp.state == LwpState::runnable)
            process.deliver_signals(lwp);
        if (timeline_.enabled())
            timeline_.observe(processes_, &lwp, now_ns());
        if (!keep_running) {
            yielded = lwp.state == LwpState::runnable;
            break;
        }
        if (!ran && next_event_distance(lwp) == 0)
            break; // an event is due that this LWP cannot take: let others run
    }
    if (lwp.state != LwpState::exited)
        process.save_registers(lwp);
    slice_end_kind_ = lwp.state != LwpState::runnable ? PointKind::blocked
                      : yielded                       ? PointKind::yield
                                                      : PointKind::slice_end;
    slice_.reset();
    if (timeline_.enabled())
        timeline_.observe(processes_, nullptr, now_ns());
    return true;
}

// ---- events: injections, timers, timeouts, the budget ----

std::optional<u64> Kernel::earliest_deadline() const {
    std::optional<u64> earliest;
    auto consider = [&](u64 deadline) {
        if (!earliest || deadline < *earliest)
            earliest = deadline;
    };
    for (const auto& process : processes_) {
        for (const auto& lwp : process->lwps()) {
            if (lwp->state == LwpState::blocked && lwp->wait.deadline)
                consider(*lwp->wait.deadline);
        }
        if (process->itimers()[kItimerReal].next)
            consider(*process->itimers()[kItimerReal].next);
    }
    return earliest;
}

void Kernel::expire_waits() {
    for (const auto& process : processes_) {
        for (const auto& lwp : process->lwps()) {
            if (lwp->state != LwpState::blocked || !lwp->wait.deadline ||
                *lwp->wait.deadline > now_ns())
                continue;
            i64 result =
                lwp->wait.kind == WaitKind::futex ? -err::TIMEDOUT : lwp->wait.timeout_result;
            trace_.line(total_insns_, "lwp {} wakes: timeout", lwp->ordinal);
            process->wake(*lwp, result);
        }
    }
}

void Kernel::report_deadlock() {
    std::string detail = "every LWP is blocked and no timer is pending:";
    for (const auto& process : processes_) {
        for (const auto& lwp : process->lwps()) {
            if (lwp->state == LwpState::exited)
                continue;
            detail +=
                fmt::format(" lwp {} (tid {}) at pc {:#x} in {}", lwp->ordinal, lwp->tid,
                            lwp->blocked_pc, lwp->syscall_name.empty() ? "?" : lwp->syscall_name);
            if (lwp->wait.kind == WaitKind::futex)
                detail += fmt::format(" waiting on {:#x}", lwp->wait.address);
            if (lwp->wait.kind == WaitKind::lwp_park)
                detail += fmt::format(" parked (hint {:#x})", lwp->wait.address);
            if (lwp->wait.kind == WaitKind::kevent)
                detail += fmt::format(" waiting on kqueue {}", lwp->wait.fd);
            if (lwp->wait.kind == WaitKind::socket)
                detail += fmt::format(" waiting on socket {}", lwp->wait.fd);
            detail += ";";
        }
    }
    detail.pop_back();
    end_run(EndKind::deadlock, 0, detail);
}

std::optional<u64> Kernel::next_injection_distance(const Lwp& lwp) const {
    std::optional<u64> distance;
    auto consider = [&](u64 at, u64 now) {
        u64 d = at > now ? at - now : 0;
        if (!distance || d < *distance)
            distance = d;
    };
    for (const Injection& injection : options_.injections) {
        if (injection.done)
            continue;
        if (injection.lwp == 0)
            consider(injection.at, total_insns_);
        else if (injection.lwp == lwp.ordinal)
            consider(injection.at, lwp.insns);
    }
    return distance;
}

bool Kernel::injection_due(const Lwp& lwp) const {
    std::optional<u64> distance = next_injection_distance(lwp);
    return distance && *distance == 0;
}

u64 Kernel::next_event_distance(const Lwp& lwp) const {
    u64 distance = ~u64{0};
    auto consider = [&](u64 at, u64 now) {
        distance = std::min(distance, at > now ? at - now : 0);
    };
    for (const auto& process : processes_) {
        const auto& timers = process->itimers();
        if (timers[kItimerReal].next)
            consider(*timers[kItimerReal].next, now_ns());
        if (process.get() != lwp.process)
            continue;
        if (timers[kItimerVirtual].next)
            consider(*timers[kItimerVirtual].next, process->cpu_ns());
        if (timers[kItimerProf].next)
            consider(*timers[kItimerProf].next, process->cpu_ns());
    }
    for (const auto& process : processes_) {
        for (const auto& other : process->lwps()) {
            if (other->state == LwpState::blocked && other->wait.deadline)
                consider(*other->wait.deadline, now_ns());
        }
    }
    consider(options_.max_insns, total_insns_);
    return distance;
}

void Kernel::fire_events(Lwp& lwp) {
    Process& process = *lwp.process;
    for (Injection& injection : options_.injections) {
        if (injection.done)
            continue;
        bool due = injection.lwp == 0 ? total_insns_ >= injection.at
                                      : injection.lwp == lwp.ordinal && lwp.insns >= injection.at;
        if (!due || lwp.state != LwpState::runnable)
            continue;
        injection.done = true;
        injection.landed_pc = process.cpu().pc(process.uc());
        injection.landed_lwp = lwp.ordinal;
        if (timeline_.enabled())
            timeline_.mark(lwp, fmt::format("inject {}", signal_name(injection.signo)), now_ns(),
                           {{"pc", fmt::format("{:#x}", process.cpu().pc(process.uc()))}});
        trace_.line(total_insns_, "inject {} -> lwp {} at pc {:#x}", signal_name(injection.signo),
                    lwp.ordinal, injection.landed_pc);
        process.send_to_thread(lwp, SigInfo{injection.signo, kSiKernel, 0, 0, 0});
    }
    for (const auto& each : processes_)
        each->fire_timers();
    expire_waits();
    if (total_insns_ >= options_.max_insns)
        end_run(EndKind::budget, 0,
                fmt::format("instruction budget of {} exhausted", options_.max_insns));
}

} // namespace crossrt::kernel
