#include "debug/kernel_target.h"

#include "base/signals.h"
#include "debug/stub.h"
#include "kernel/replay.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <fmt/format.h>

namespace crossrt::debug {
namespace {

// A run goes on in pieces this long, so that gdb's ^C is seen (pauses
// change nothing in the run).
constexpr std::uint64_t kChunk = 20'000'000;

void memory_hook(uc_engine*, uc_mem_type type, std::uint64_t address, int size, std::int64_t,
                 void* user) {
    static_cast<KernelTarget*>(user)->on_memory_access(type == UC_MEM_WRITE, address, size);
}

bool overlaps(std::uint64_t a, std::uint64_t a_length, std::uint64_t b, std::uint64_t b_length) {
    return a < b + b_length && b < a + a_length;
}

} // namespace

KernelTarget::KernelTarget(kernel::ElfImage image, kernel::KernelOptions options)
    : image_(std::move(image)), options_(std::move(options)),
      description_(find_description(kernel::arch_name(image_.arch))) {}

KernelTarget::~KernelTarget() = default;

// Linux: gdb's Linux support (catch syscall's names). NetBSD: none, gdb
// takes it from the ELF file it has (Debian's gdb-multiarch has no NetBSD
// handler for amd64 and rejects a description that names one).
std::string KernelTarget::osabi() const {
    return image_.os == "linux" ? "GNU/Linux" : "";
}

bool KernelTarget::boot(std::string& error) {
    if (description_ == nullptr) {
        error = fmt::format("no gdb target description for {}", kernel::arch_name(image_.arch));
        return false;
    }
    return start_kernel(error);
}

bool KernelTarget::start_kernel(std::string& error) {
    kernel::KernelOptions options = options_;
    if (kernel_) {
        // A replay: the output the first pass wrote is not written again,
        // and the trace and timeline are the first pass's.
        options.written_out = kernel_->written_out();
        options.written_err = kernel_->written_err();
        options.trace_path.clear();
        options.timeline_path.clear();
        kernel_.reset(); // before the next engine: each has a 1 GiB translation buffer
    }
    installed_.clear();
    kernel_ = std::make_unique<kernel::Kernel>(std::move(options));
    if (!kernel_->boot(image_, error))
        return false;
    install_watches();
    sync_hooks();
    if (tracing_)
        kernel_->trace().open_memory();
    return true;
}

void KernelTarget::install_watches() {
    kernel_->watch_code([this](std::uint64_t pc, std::uint64_t count) {
        if (mode_ == Mode::quiet)
            return;
        std::optional<Hit> hit;
        if (pending_watch_) {
            hit = Hit{count, *std::exchange(pending_watch_, std::nullopt)};
        } else if (breakpoints_.contains(pc) && (mode_ == Mode::scan || count != resumed_at_)) {
            StopEvent event;
            event.thread = id_of(kernel_->current());
            hit = Hit{count, event};
        }
        if (!hit)
            return;
        if (mode_ == Mode::scan) {
            scanned_.push_back(*hit);
        } else if (!hit_) {
            hit_ = hit;
            kernel_->request_pause(count);
        }
    });
    kernel_->watch_slices([this](kernel::Lwp& lwp, std::uint64_t count) {
        ThreadId id = id_of(lwp);
        slices_[count] = id;
        if (step_target_ && *step_target_ == id && mode_ == Mode::run)
            kernel_->request_pause(count);
    });
    kernel_->watch_syscalls([this](kernel::Lwp& lwp, std::uint64_t number, bool entry) {
        if (!catching_ || mode_ != Mode::run || hit_)
            return false;
        if (!caught_.empty() && !caught_.contains(number))
            return false;
        StopEvent event;
        event.kind = entry ? StopEvent::Kind::syscall_entry : StopEvent::Kind::syscall_return;
        event.thread = id_of(lwp);
        event.number = number;
        hit_ = Hit{kernel_->total_insns(), event};
        return true;
    });
    kernel_->watch_signals([this](kernel::Lwp& lwp, int signo) {
        if (mode_ != Mode::run || hit_ || signal_hit_)
            return;
        StopEvent event;
        event.kind = StopEvent::Kind::signal;
        event.thread = id_of(lwp);
        event.signal_name = signal_name(signo);
        if (passed_signals_.contains(event.signal_name))
            return;
        std::uint64_t count = kernel_->total_insns();
        // The stop it already made: now it is taken.
        if (signal_stop_ && signal_stop_->first == count && count == resumed_at_ &&
            signal_stop_->second.thread == event.thread &&
            signal_stop_->second.signal_name == event.signal_name)
            return;
        // The kernel is past the point where a pause could hold the signal
        // back: this run ends, and a replay stops at its count instead.
        signal_hit_ = Hit{count, event};
        kernel_->abandon("a signal for the debugger");
    });
}

void KernelTarget::pass_signals(std::vector<int> gdb_signals) {
    passed_signals_.clear();
    for (int number : gdb_signals)
        passed_signals_.insert(gdb_signal_name(number));
}

void KernelTarget::on_memory_access(bool write, std::uint64_t address, int size) {
    if (mode_ == Mode::quiet || pending_watch_)
        return;
    for (const Watchpoint& watch : watchpoints_) {
        bool kind = watch.kind == PointKind::access || (write && watch.kind == PointKind::write) ||
                    (!write && watch.kind == PointKind::read);
        if (!kind ||
            !overlaps(watch.address, watch.length, address, static_cast<std::uint64_t>(size)))
            continue;
        StopEvent event;
        event.kind = StopEvent::Kind::watch;
        event.thread = id_of(kernel_->current());
        event.watch = watch.kind;
        event.address = watch.address;
        pending_watch_ = event;
        return;
    }
}

// Each live process's engine gets the hooks asked for; an engine that
// changed (exec) gets them anew.
void KernelTarget::sync_hooks() {
    for (const auto& process : kernel_->processes()) {
        if (!process->holds_engine())
            continue;
        Installed& installed = installed_[process->pid()];
        if (installed.engine != process->uc())
            installed = Installed{process->uc(), {}, 0, {}};
        for (auto it = installed.breakpoints.begin(); it != installed.breakpoints.end();) {
            if (!breakpoints_.contains(it->first)) {
                process->unhook_code(it->second, it->first, it->first);
                it = installed.breakpoints.erase(it);
            } else {
                ++it;
            }
        }
        for (std::uint64_t address : breakpoints_) {
            if (!installed.breakpoints.contains(address))
                installed.breakpoints[address] = process->hook_code(address, address);
        }
        for (uc_hook hook : installed.memory)
            uc_hook_del(process->uc(), hook);
        installed.memory.clear();
        bool watching = !watchpoints_.empty();
        for (const Watchpoint& watch : watchpoints_) {
            int types = watch.kind == PointKind::write  ? UC_HOOK_MEM_WRITE
                        : watch.kind == PointKind::read ? UC_HOOK_MEM_READ
                                                        : UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE;
            uc_hook hook = 0;
            if (uc_hook_add(process->uc(), &hook, types, reinterpret_cast<void*>(&memory_hook),
                            this, watch.address, watch.address + watch.length - 1) == UC_ERR_OK)
                installed.memory.push_back(hook);
        }
        if (watching && installed.every_instruction == 0) {
            installed.every_instruction = process->hook_code(0, ~std::uint64_t{0});
            process->set_hooks_every_instruction(true);
        } else if (!watching && installed.every_instruction != 0) {
            process->unhook_code(installed.every_instruction, 0, ~std::uint64_t{0});
            installed.every_instruction = 0;
            process->set_hooks_every_instruction(false);
        } else if (watching) {
            uc_ctl_flush_tlb(process->uc()); // the memory hooks take effect in new translations
        }
    }
}

kernel::Lwp* KernelTarget::find_lwp(ThreadId thread) {
    kernel::Process* process = kernel_->find_process(thread.pid);
    if (process == nullptr)
        return nullptr;
    for (const auto& lwp : process->lwps()) {
        if (lwp->ordinal == thread.lwp && lwp->state != kernel::LwpState::exited)
            return lwp.get();
    }
    return nullptr;
}

ThreadId KernelTarget::id_of(const kernel::Lwp& lwp) const {
    return {lwp.process->pid(), lwp.ordinal};
}

std::vector<ThreadInfo> KernelTarget::threads() {
    std::vector<ThreadInfo> list;
    for (const auto& process : kernel_->processes()) {
        if (!process->alive())
            continue;
        for (const auto& lwp : process->lwps()) {
            if (lwp->state == kernel::LwpState::exited)
                continue;
            list.push_back({id_of(*lwp), fmt::format("lwp {}", lwp->ordinal)});
        }
    }
    return list;
}

ThreadId KernelTarget::current_thread() {
    return id_of(kernel_->current());
}

std::optional<std::string> KernelTarget::read_register(ThreadId thread, const RegisterInfo& reg) {
    kernel::Lwp* lwp = find_lwp(thread);
    if (lwp == nullptr || !lwp->process->holds_engine())
        return std::nullopt;
    std::array<char, 64> value{};
    if (reg.unicorn_id == kSyscallNumberRegister) {
        std::uint64_t number = lwp->syscall.nr;
        std::memcpy(value.data(), &number, sizeof number);
        return std::string(value.data(), static_cast<std::size_t>(reg.bits / 8));
    }
    bool live = lwp == &kernel_->current();
    bool read = live ? uc_reg_read(lwp->process->uc(), reg.unicorn_id, value.data()) == UC_ERR_OK
                     : lwp->cpu.read(reg.unicorn_id, value.data());
    if (!read)
        return std::nullopt;
    return std::string(value.data(), static_cast<std::size_t>(reg.bits / 8));
}

bool KernelTarget::write_register(ThreadId thread, const RegisterInfo& reg,
                                  std::string_view bytes) {
    kernel::Lwp* lwp = find_lwp(thread);
    if (lwp == nullptr || !lwp->process->holds_engine())
        return false;
    if (reg.unicorn_id == kSyscallNumberRegister)
        return true; // gdb writes it back with the others; the kernel keeps its own
    std::array<char, 64> value{};
    std::memcpy(value.data(), bytes.data(), std::min(bytes.size(), value.size()));
    // The current LWP's registers are live, and also saved when its slice
    // is over: both change.
    if (lwp == &kernel_->current() &&
        uc_reg_write(lwp->process->uc(), reg.unicorn_id, value.data()) != UC_ERR_OK)
        return false;
    return lwp->cpu.write(reg.unicorn_id, value.data());
}

bool KernelTarget::read_memory(int pid, std::uint64_t address, std::size_t length,
                               std::string& bytes) {
    kernel::Process* process = kernel_->find_process(pid);
    if (process == nullptr || !process->holds_engine())
        process = kernel_->current().process;
    bytes.assign(length, '\0');
    return uc_mem_read(process->uc(), address, bytes.data(), length) == UC_ERR_OK;
}

bool KernelTarget::write_memory(int pid, std::uint64_t address, std::string_view bytes) {
    kernel::Process* process = kernel_->find_process(pid);
    if (process == nullptr || !process->holds_engine())
        process = kernel_->current().process;
    if (uc_mem_write(process->uc(), address, bytes.data(), bytes.size()) != UC_ERR_OK)
        return false;
    uc_ctl_remove_cache(process->uc(), address, address + bytes.size());
    return true;
}

bool KernelTarget::insert_point(PointKind kind, std::uint64_t address, std::uint64_t length) {
    if (kind == PointKind::software || kind == PointKind::hardware) {
        breakpoints_.insert(address);
    } else {
        if (length == 0)
            return false;
        watchpoints_.push_back({kind, address, length});
    }
    sync_hooks();
    return true;
}

bool KernelTarget::remove_point(PointKind kind, std::uint64_t address, std::uint64_t length) {
    if (kind == PointKind::software || kind == PointKind::hardware) {
        breakpoints_.erase(address);
    } else {
        auto it = std::find_if(watchpoints_.begin(), watchpoints_.end(), [&](const Watchpoint& w) {
            return w.kind == kind && w.address == address && w.length == length;
        });
        if (it != watchpoints_.end())
            watchpoints_.erase(it);
    }
    sync_hooks();
    return true;
}

void KernelTarget::catch_syscalls(bool on, std::vector<std::uint64_t> numbers) {
    catching_ = on;
    caught_ = std::set<std::uint64_t>(numbers.begin(), numbers.end());
}

StopEvent KernelTarget::end_event(const kernel::RunEnd& end) {
    StopEvent event;
    event.thread = current_thread();
    if (end.kind == EndKind::signaled) {
        event.kind = StopEvent::Kind::killed;
        event.signal_name = signal_name(end.status);
    } else {
        event.kind = StopEvent::Kind::exited;
        // Not the guest's own end (deadlock, budget, an error): gdb hears
        // the verdict's exit status; the detail goes to stderr.
        event.status = end.kind == EndKind::exited ? end.status : 125;
        if (end.kind != EndKind::exited)
            fmt::print(stderr, "crossrt: {}: {}\n", end_kind_name(end.kind), end.detail);
    }
    return event;
}

StopEvent KernelTarget::stopped_here(ThreadId thread) {
    StopEvent event;
    event.thread = find_lwp(thread) != nullptr ? thread : current_thread();
    return event;
}

bool KernelTarget::retry_after_replay_request(std::uint64_t count, std::string& error) {
    options_.exact_ranges.push_back(*kernel_->replay_request());
    return go_to(count, error);
}

KernelTarget::Forward KernelTarget::run_forward(std::uint64_t limit, const Resume& resume) {
    Forward result;
    hit_.reset();
    signal_hit_.reset();
    pending_watch_.reset();
    mode_ = Mode::run;
    resumed_at_ = position();
    while (true) {
        sync_hooks();
        std::uint64_t stop = std::min(limit, position() + kChunk);
        auto end = kernel_->run_until(stop);
        if (kernel_->replay_request()) {
            std::string error;
            std::uint64_t back = resumed_at_;
            if (!retry_after_replay_request(back, error)) {
                result.end = kernel::RunEnd{EndKind::error, 0, error};
                return result;
            }
            mode_ = Mode::run;
            resumed_at_ = back;
            hit_.reset();
            pending_watch_.reset();
            continue;
        }
        if (hit_) {
            result.hit = std::exchange(hit_, std::nullopt);
            return result;
        }
        if (signal_hit_) {
            Hit hit = *std::exchange(signal_hit_, std::nullopt);
            std::string error;
            if (!go_to(hit.count, error)) {
                result.end = kernel::RunEnd{EndKind::error, 0, error};
                return result;
            }
            signal_stop_ = std::pair{hit.count, hit.event};
            result.hit = hit;
            return result;
        }
        if (end) {
            result.end = end;
            return result;
        }
        if (position() >= limit)
            return result;
        const std::optional<std::uint64_t>& requested = kernel_->requested_pause();
        if (requested && position() >= *requested)
            return result; // a slice of the thread being stepped began
        if (resume.interrupted && resume.interrupted()) {
            result.interrupted = true;
            return result;
        }
    }
}

StopEvent KernelTarget::resume(const Resume& resume) {
    if (resume.backwards)
        return resume.step ? step_back(resume) : continue_back(resume);
    if (resume.step)
        return step(resume);
    Forward forward = run_forward(~std::uint64_t{0}, resume);
    if (forward.hit)
        return forward.hit->event;
    if (forward.end)
        return end_event(*forward.end);
    StopEvent event = stopped_here(current_thread());
    event.kind = StopEvent::Kind::signal;
    event.signal_name = "SIGINT"; // gdb's ^C
    return event;
}

StopEvent KernelTarget::step(const Resume& resume) {
    ThreadId thread = find_lwp(resume.thread) != nullptr ? resume.thread : current_thread();
    kernel::Lwp* lwp = find_lwp(thread);
    std::uint64_t before = lwp->insns;
    while (true) {
        bool running = lwp == &kernel_->current();
        // Not its turn: on until its next slice starts, then one by one.
        if (!running)
            step_target_ = thread;
        Forward forward = run_forward(running ? position() + 1 : ~std::uint64_t{0}, resume);
        step_target_.reset();
        if (forward.hit)
            return forward.hit->event;
        if (forward.end)
            return end_event(*forward.end);
        lwp = find_lwp(thread);
        if (lwp == nullptr || lwp->insns > before || forward.interrupted)
            return stopped_here(thread);
    }
}

bool KernelTarget::go_to(std::uint64_t count, std::string& error) {
    mode_ = Mode::quiet;
    while (true) {
        // Behind, or a kernel abandoned at a signal: a replay from the start.
        if ((count < position() || kernel_->ended()) && !start_kernel(error)) {
            mode_ = Mode::run;
            return false;
        }
        auto end = kernel_->run_until(count);
        if (kernel_->replay_request()) {
            options_.exact_ranges.push_back(*kernel_->replay_request());
            if (!start_kernel(error))
                break;
            continue;
        }
        mode_ = Mode::run;
        if (tracing_)
            kernel_->trace().take(); // a replay's lines were shown when first run
        if (end && position() < count) {
            error =
                fmt::format("the run ended ({}) after {} instructions", end->detail, position());
            return false;
        }
        sync_hooks();
        return true;
    }
    mode_ = Mode::run;
    return false;
}

StopEvent KernelTarget::step_back(const Resume& resume) {
    ThreadId thread = find_lwp(resume.thread) != nullptr ? resume.thread : current_thread();
    std::uint64_t now = position();
    // The last instruction before `now` that this thread ran: the slice
    // history says whose each instruction was.
    std::optional<std::uint64_t> target;
    auto it = slices_.upper_bound(now == 0 ? 0 : now - 1);
    std::uint64_t end = now;
    while (now > 0 && it != slices_.begin()) {
        --it;
        std::uint64_t start = it->first;
        if (it->second == thread && start < end) {
            target = end - 1;
            break;
        }
        end = std::min(end, start);
    }
    std::string error;
    if (!target) {
        if (!go_to(0, error))
            fmt::print(stderr, "crossrt: reverse-stepi: {}\n", error);
        StopEvent event = stopped_here(thread);
        event.kind = StopEvent::Kind::history_begin;
        return event;
    }
    if (!go_to(*target, error))
        fmt::print(stderr, "crossrt: reverse-stepi: {}\n", error);
    return stopped_here(thread);
}

StopEvent KernelTarget::continue_back(const Resume&) {
    std::uint64_t now = position();
    std::string error;
    // Replay to here noting every breakpoint and watchpoint hit; the last
    // one before here is where the run goes back to.
    scanned_.clear();
    bool scanned = start_kernel(error);
    if (scanned) {
        mode_ = Mode::scan;
        while (position() < now) {
            sync_hooks();
            auto end = kernel_->run_until(std::min(now, position() + kChunk));
            if (kernel_->replay_request()) {
                options_.exact_ranges.push_back(*kernel_->replay_request());
                scanned_.clear();
                if (!(scanned = start_kernel(error)))
                    break;
                continue;
            }
            if (end)
                break;
        }
        mode_ = Mode::run;
    }
    // Backwards, a watchpoint stops before its access (gdb then sees the
    // value change the other way); a breakpoint before its instruction,
    // as forwards.
    auto back_to = [](const Hit& hit) {
        return hit.event.kind == StopEvent::Kind::watch && hit.count > 0 ? hit.count - 1
                                                                         : hit.count;
    };
    std::optional<Hit> last;
    for (const Hit& hit : scanned_) {
        if (back_to(hit) < now)
            last = hit;
    }
    scanned_.clear();
    if (!last) {
        if (!go_to(0, error))
            fmt::print(stderr, "crossrt: reverse-continue: {}\n", error);
        StopEvent event = stopped_here(current_thread());
        event.kind = StopEvent::Kind::history_begin;
        return event;
    }
    if (!go_to(back_to(*last), error))
        fmt::print(stderr, "crossrt: reverse-continue: {}\n", error);
    return last->event;
}

std::string KernelTarget::take_console() {
    return tracing_ ? kernel_->trace().take() : "";
}

kernel::RunEnd KernelTarget::run_to_end() {
    breakpoints_.clear();
    watchpoints_.clear();
    catching_ = false;
    mode_ = Mode::quiet;
    sync_hooks();
    kernel::RunEnd end = kernel_->run();
    std::string error;
    auto run = kernel::finish_program(std::move(kernel_), end, image_, error);
    if (!run)
        return {EndKind::error, 0, error};
    return run->end;
}

std::string KernelTarget::monitor(std::string_view command) {
    auto words = std::string(command);
    if (command == "insns" || command == "icount" || command == "count")
        return fmt::format("{} instructions executed\n", position());
    if (command == "seed")
        return fmt::format("seed {}\n", options_.seed);
    if (command == "schedule") {
        std::string text;
        if (auto slice = kernel_->slice_left())
            text += fmt::format("at {}: lwp {} of pid {} runs, {} instructions left of its slice "
                                "(the next decision comes at its end, or sooner if it blocks)\n",
                                position(), slice->first->ordinal, slice->first->process->pid(),
                                slice->second);
        else
            text +=
                fmt::format("at {}: between slices; the next decision comes first\n", position());
        auto replayed = kernel_->decisions_to_replay();
        if (!replayed.empty()) {
            text += fmt::format("the schedule file's next decisions ({} left):\n", replayed.size());
            for (std::size_t i = 0; i < std::min<std::size_t>(replayed.size(), 8); ++i)
                text += fmt::format("  lwp {} of pid {} for {}\n", replayed[i].lwp, replayed[i].pid,
                                    replayed[i].length);
        } else {
            text += fmt::format("the next decisions are the {} strategy's from seed {}\n",
                                kernel::strategy_name(options_.policy.strategy), options_.seed);
        }
        text += "the slices before (newest first):\n";
        std::size_t shown = 0;
        for (auto it = slices_.rbegin(); it != slices_.rend() && shown < 8; ++it) {
            if (it->first > position())
                continue;
            text += fmt::format("  at {:>12}: lwp {} of pid {}\n", it->first, it->second.lwp,
                                it->second.pid);
            ++shown;
        }
        return text;
    }
    if (command.starts_with("inject ")) {
        std::string_view name = command.substr(7);
        auto signo = signal_number(name);
        if (!signo)
            return fmt::format("error: no signal named {}\n", name);
        Injection injection;
        injection.signo = *signo;
        injection.at = position();
        // Replays repeat it: it is part of the run from now on.
        options_.injections.push_back(injection);
        kernel_->add_injection(injection);
        return fmt::format("{} injected at instruction {}\n", signal_name(*signo), position());
    }
    if (command == "trace on" || command == "trace off") {
        bool on = command == "trace on";
        if (!options_.trace_path.empty())
            return fmt::format("error: the run traces to {} already (--trace)\n",
                               options_.trace_path);
        if (on && !tracing_ && !kernel_->trace().open_memory())
            return "error: cannot keep a trace in memory\n";
        if (!on)
            kernel_->trace().close();
        tracing_ = on;
        return on ? "the kernel's trace (slices, system calls, signals) is shown as the run "
                    "goes\n"
                  : "no trace\n";
    }
    if (command == "help" || command.empty())
        return "monitor insns     instructions executed so far\n"
               "monitor seed      the run's seed\n"
               "monitor schedule  who runs now, the slices before, what decides next\n"
               "monitor inject SIG  SIG delivered at this instruction (replays keep it)\n"
               "monitor trace on|off  the kernel's trace in gdb's console as the run goes\n";
    return fmt::format("error: unknown monitor command '{}' (monitor help lists them)\n", words);
}

} // namespace crossrt::debug
