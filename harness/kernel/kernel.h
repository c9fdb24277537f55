// The unicorn backend's kernel: the processes, the scheduler, the virtual
// clock, the run's limits and its trace, and the one run loop. Nothing here
// depends on host time, host threads or host pointer values, so a seed (and
// the options) fix a run completely.
#pragma once

#include "kernel/elf_load.h"
#include "kernel/lwp.h"
#include "kernel/options.h"
#include "kernel/posix/fs.h"
#include "kernel/process.h"
#include "kernel/run_end.h"
#include "kernel/sched.h"
#include "kernel/timeline.h"
#include "kernel/trace.h"
#include "kernel/types.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace crossrt::kernel {

namespace posix {
struct Network;
}

class Kernel {
public:
    explicit Kernel(KernelOptions options);
    ~Kernel();
    Kernel(const Kernel&) = delete;
    Kernel& operator=(const Kernel&) = delete;

    // Creates the first process from the image and boots it.
    bool boot(ElfImage image, std::string& error);
    // A booted kernel that has not run yet becomes the one booting with this
    // seed (and trace) would have made: a sweep boots once, forks, and
    // reseeds each copy (kernel/sweep.h).
    bool reseed(u64 seed, const std::string& trace_path, std::string& error);
    // Starts the timeline (timeline.h) in `path`, from the state the
    // kernel is in; boot does when the options name one, a sweep's fork
    // after reseed.
    bool open_timeline(const std::string& path, std::string& error);
    RunEnd run();
    // Runs until the run ends (its end) or until total_insns() reaches
    // pause_at (nothing): a snapshot point. Run on from there (run() or
    // run_until again, here or in a fork of this process), the run is the
    // one that never paused, trace byte for byte: the slice in progress
    // goes on where it stopped, with no new scheduling decision. The pause
    // is exact, except inside an atomic region (it lands after it) or at a
    // point where the kernel must act first (a trap, an injection): then
    // at the first instruction after.
    std::optional<RunEnd> run_until(u64 pause_at);

    const KernelOptions& options() const { return options_; }
    // Another strategy for a booted kernel that has not run yet (after
    // reseed: a sweep's fork runs its own, systematic exploration's).
    void set_policy(PolicyOptions policy) {
        options_.policy = std::move(policy);
        policy_ = SchedulePolicy(options_.policy, options_.seed);
    }
    // A signal at an exact instruction, added to a kernel that booted
    // without it (each fork of a signal sweep adds its own).
    void add_injection(const Injection& injection) { options_.injections.push_back(injection); }
    // Called before each hooked instruction runs, with its pc and the
    // instructions the run executed before it: every instruction inside
    // options().exact_ranges is hooked from the start (others may be too,
    // so the watch filters by pc). A signal sweep's first run learns there
    // where and when the region's instructions run. The watch may end the
    // run (end_run): the CPU then stops before that instruction.
    using CodeWatch = std::function<void(u64 pc, u64 count)>;
    void watch_code(CodeWatch watch) { code_watch_ = std::move(watch); }
    const CodeWatch& code_watch() const { return code_watch_; }
    // A debugger's stops (debug/kernel_target.h). request_pause, from a
    // watch, pauses the run_until in progress at instruction count `at`
    // (the code watch's count: before that instruction runs) as if it had
    // been its pause_at; forgotten when the next run_until starts.
    void request_pause(u64 at) {
        requested_pause_ = at;
        pause_at_ = std::min(pause_at_, at);
    }
    const std::optional<u64>& requested_pause() const { return requested_pause_; }
    // Called as each slice starts, with its LWP and the instruction count.
    using SliceWatch = std::function<void(Lwp& lwp, u64 count)>;
    void watch_slices(SliceWatch watch) { slice_watch_ = std::move(watch); }
    // Called when an LWP traps into a system call (entry: before the
    // kernel handles it) and after it was handled (entry false): true
    // pauses the run there. A pause at an entry holds the trap; the call is
    // handled first thing when the run goes on, so the run is the one that
    // never paused.
    using SyscallWatch = std::function<bool(Lwp& lwp, u64 number, bool entry)>;
    void watch_syscalls(SyscallWatch watch) { syscall_watch_ = std::move(watch); }
    // Called as a signal is about to be taken by an LWP (before its
    // handler's frame, or the end it brings).
    using SignalWatch = std::function<void(Lwp& lwp, int signo)>;
    void watch_signals(SignalWatch watch) { signal_watch_ = std::move(watch); }
    const SignalWatch& signal_watch() const { return signal_watch_; }
    // The slice running: its LWP and the instructions left of its length
    // (nothing between slices); and the replayed schedule's decisions not
    // yet taken (a debugger's `monitor schedule`).
    std::optional<std::pair<const Lwp*, u64>> slice_left() const {
        if (!slice_)
            return std::nullopt;
        return std::pair{slice_->lwp,
                         slice_->length > slice_->used ? slice_->length - slice_->used : u64{0}};
    }
    std::span<const Decision> decisions_to_replay() const {
        return std::span(options_.replay_schedule).subspan(replayed_);
    }
    // Ends this kernel's run here, for a debugger that will replay to a
    // point before this one (debug/kernel_target.h); unlike end_run,
    // nothing of it reaches the trace.
    void abandon(std::string why) {
        if (!end_)
            end_ = RunEnd{EndKind::interrupted, 0, std::move(why)};
    }
    // The decisions made so far, when options().record_schedule.
    const std::vector<Decision>& decisions() const { return decisions_; }
    // What each decision point offered, when options().record_points.
    const std::vector<PointRecord>& points() const { return points_; }
    // A hash of every decision made so far (always kept): two runs with the
    // same one had the same schedule.
    u64 schedule_hash() const { return schedule_hash_; }
    Trace& trace() { return trace_; }
    Timeline& timeline() { return timeline_; }
    // The process booted first (tests, and the guest's exit status).
    Process& main_process() { return *processes_.front(); }
    // The LWP whose registers are live.
    Lwp& current() { return *current_; }
    u64 random() { return random_.next(); }
    u64 next_futex_sequence() { return ++futex_sequence_; }
    // Every process of the run, in creation order (exited ones too).
    const std::vector<std::unique_ptr<Process>>& processes() const { return processes_; }
    // The LWPs of every process that have not exited (kMaxLwps at most).
    std::size_t live_lwps() const;
    Process* find_process(int pid);
    // A new process (fork), scheduled with every other LWP from now on.
    Process& add_process(std::unique_ptr<Process> process);
    // The next pid (or, on Linux, tid): 101, 102, ... after the first
    // process's 100, one sequence for the run, so ids follow the seed.
    int allocate_id() { return next_id_++; }
    // The address-space bytes every process maps together (the memory cap
    // is the run's, not one process's).
    const std::shared_ptr<u64>& mapped_total() const { return mapped_total_; }
    // The run's file system, one for every process.
    posix::FileSystem& file_system() { return *fs_; }
    // The run's loopback network (posix/socket.h), one for every process.
    posix::Network& network() { return *network_; }

    // The virtual clock: instructions executed, plus the jumps to the next
    // timer taken while every LWP waited.
    u64 now_ns() const { return total_insns_ + jumped_ns_; }
    u64 total_insns() const { return total_insns_; }

    void end_run(EndKind kind, int status, std::string detail);
    // A fault whose pc Unicorn did not keep, in the block at [begin, end):
    // the run ends here and must be repeated with that block hooked
    // exactly (replay.h).
    void request_replay(u64 begin, u64 end);
    const std::optional<std::pair<u64, u64>>& replay_request() const { return replay_; }
    // Guest output already written by an earlier attempt is skipped: true
    // when nothing of these bytes is to be written, else the part to write
    // starts at `skip`.
    u64 output_to_skip(int host_fd, u64 length);
    u64 written_out() const { return std::max(written_out_, options_.written_out); }
    u64 written_err() const { return std::max(written_err_, options_.written_err); }
    bool ended() const { return end_.has_value(); }
    // Whether the note about this call was written already (once per run).
    bool first_note(u64 syscall) { return noted_syscalls_.insert(syscall).second; }

private:
    // The LWP running and how far into its slice; `cpu` when the pause
    // stopped the CPU inside a run that must go on as one.
    struct CpuResume {
        u64 soft_end = 0; // total_insns() where the run's limit ends
        bool may_end = true;
    };
    struct Slice {
        Lwp* lwp = nullptr;
        u64 length = 0;
        u64 used = 0;
        std::optional<CpuResume> cpu;
        // A syscall trap a SyscallWatch paused at, handled when it goes on.
        std::optional<CpuRun> held;
    };
    // The LWP the next slice goes to and its length: the schedule being
    // replayed, else the seed's; nullptr when the schedule names an LWP
    // that cannot run (the run ends with an error that says so).
    std::pair<Lwp*, u64> choose(const std::vector<Lwp*>& ready, PointKind kind);
    // At the entry of a synchronisation call, when the policy decides
    // there: true when another LWP gets the CPU (the call then takes effect
    // when this one runs again).
    bool defer_at_sync_point(Lwp& lwp);
    void start_slice(Lwp& lwp, u64 length);
    // False when it paused before the slice ended.
    bool continue_slice();
    bool injection_due(const Lwp& lwp) const;
    std::vector<Lwp*> runnable() const;
    u64 next_event_distance(const Lwp& lwp) const;
    std::optional<u64> next_injection_distance(const Lwp& lwp) const;
    void fire_events(Lwp& lwp);
    void expire_waits();
    std::optional<u64> earliest_deadline() const;
    void report_deadlock();

    KernelOptions options_;
    Trace trace_;
    Timeline timeline_;
    SchedulePolicy policy_;
    Prng random_;
    std::unique_ptr<posix::FileSystem> fs_;
    std::unique_ptr<posix::Network> network_;
    int next_id_ = kGuestPid + 1;
    std::shared_ptr<u64> mapped_total_ = std::make_shared<u64>(0);
    std::vector<std::unique_ptr<Process>> processes_;
    Lwp* current_ = nullptr;
    u64 futex_sequence_ = 0;
    std::set<u64> noted_syscalls_;
    u64 total_insns_ = 0;
    u64 jumped_ns_ = 0;
    std::optional<RunEnd> end_;
    std::optional<std::pair<u64, u64>> replay_;
    std::optional<Slice> slice_;
    u64 pause_at_ = ~u64{0};
    u64 written_out_ = 0;
    u64 written_err_ = 0;
    std::size_t replayed_ = 0; // decisions of options_.replay_schedule taken
    std::vector<Decision> decisions_;
    std::vector<PointRecord> points_;
    u64 schedule_hash_ = 0xcbf29ce484222325ull;
    // Why the last slice ended, for the next decision.
    PointKind slice_end_kind_ = PointKind::start;
    // A decision made at a synchronisation point: the next slice's.
    std::optional<std::pair<Lwp*, u64>> chosen_at_sync_;
    CodeWatch code_watch_;
    SliceWatch slice_watch_;
    SyscallWatch syscall_watch_;
    SignalWatch signal_watch_;
    std::optional<u64> requested_pause_;
};

} // namespace crossrt::kernel
