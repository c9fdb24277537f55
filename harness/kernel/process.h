// One guest process: one Unicorn engine and so one address space, its
// memory map, file table, signal actions, interval timers, its OS
// personality and its LWPs. The Kernel (kernel.h) owns every process and
// decides who runs; a process runs one of its LWPs when told to, and its
// syscall handlers (linux/, netbsd/) work on it.
#pragma once

#include "kernel/abi/cpu.h"
#include "kernel/blocks.h"
#include "kernel/elf_load.h"
#include "kernel/lwp.h"
#include "kernel/mm.h"
#include "kernel/options.h"
#include "kernel/personality.h"
#include "kernel/posix/files.h"
#include "kernel/run_end.h"
#include "kernel/signal/action.h"
#include "kernel/timeline.h"
#include "kernel/trace.h"
#include "kernel/types.h"

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace crossrt::kernel {

namespace posix {
class SyscallTable;
struct FileSystem;
} // namespace posix
class Kernel;

constexpr int kGuestPid = 100; // the main thread's tid; threads get 101, 102, ...

struct ITimer {
    u64 interval_ns = 0;
    std::optional<u64> next; // virtual ns (REAL) or CPU ns (PROF, VIRTUAL)
};
constexpr std::size_t kItimerReal = 0;
constexpr std::size_t kItimerVirtual = 1;
constexpr std::size_t kItimerProf = 2;

// What stopped the CPU.
enum class TrapKind { none, syscall, fault };
struct Trap {
    TrapKind kind = TrapKind::none;
    SigInfo fault;
};

// Which hook stopped the CPU.
enum class StopSite { none, block, code, trap };

// What one run of the CPU did (run_cpu).
struct CpuRun {
    u64 executed = 0;
    Trap trap;
};

class Process {
public:
    Process(Kernel& kernel, int pid, ElfImage image, std::unique_ptr<Cpu> cpu,
            std::unique_ptr<Personality> personality);
    ~Process();
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    // Opens the engine, loads the image, builds the stack and the main LWP.
    bool boot(std::string& error);
    // What the seed decides in a booted process (AT_RANDOM), and the trace's
    // boot line: boot calls it, and so does a sweep's reseed after a fork.
    void apply_seed();
    // Swaps the table the traps are looked up in (tests).
    void set_syscall_table(std::unique_ptr<posix::SyscallTable> table);

    Kernel& kernel() { return kernel_; }
    const KernelOptions& options() const;
    // The CPUs the kernel presents (KernelOptions::cpus).
    int cpus() const { return options().cpus; }
    // Every CPU the kernel presents, as an affinity mask.
    u64 all_cpus() const { return cpus() >= 64 ? ~u64{0} : (u64{1} << cpus()) - 1; }
    int pid() const { return pid_; }
    uc_engine* uc() const { return uc_; }
    const Cpu& cpu() const { return *cpu_; }
    const Personality& personality() const { return *personality_; }
    AddressSpace& memory() { return *memory_; }
    posix::Files& files() { return files_; }
    // The run's file system (the kernel's), this process's cwd and umask.
    posix::FileSystem& file_system();
    posix::NodePtr& cwd() { return cwd_; }
    // Where the guest finds this process's program (/proc/self/exe).
    const std::string& exe_path() const { return exe_path_; }
    void set_exe_path(std::string path) { exe_path_ = std::move(path); }
    const ElfImage& image() const { return image_; }
    // The arguments its program started with (/proc/self/cmdline).
    const std::vector<std::string>& argv() const { return argv_; }
    u32& umask() { return umask_; }
    Trace& trace();
    Timeline& timeline();
    int word_size() const { return cpu_->word_size(); }
    u64 random(); // getrandom: a stream of its own from the seed

    // ---- for the ABI layer and the handlers ----
    SyscallArgs syscall_args() { return personality_->syscall_args(*this); }
    void set_syscall_result(i64 result) { personality_->set_syscall_result(*this, result); }
    i64 enosys() const { return personality_->enosys(); }
    // The LWP whose registers are live (it belongs to this process while
    // one of its handlers runs).
    Lwp& current();

    bool read_word(u64 address, u64& value) const;
    bool write_word(u64 address, u64 value);

    // Time: virtual, advanced by executed instructions and by jumps to the
    // next timer when every LWP waits; CPU time is this process's
    // instructions.
    u64 now_ns() const;
    u64 total_insns() const;
    u64 cpu_ns() const { return cpu_insns_; }

    // LWPs.
    Lwp* find_lwp(int tid);
    const std::vector<std::unique_ptr<Lwp>>& lwps() const { return lwps_; }
    // A new LWP, not yet runnable, its registers a copy of the current
    // ones; nullptr when the run has kMaxLwps already or no context can be
    // had for it (the call that asked answers EAGAIN).
    Lwp* create_lwp();
    // Builds a new LWP's registers: `build` runs with the child's registers
    // live (a copy of the caller's) and returns 0 or -errno; the caller's
    // registers are live again afterwards. A failed build leaves the child
    // exited.
    template <typename Build>
    i64 build_lwp(Lwp& child, Build&& build) {
        if (!child.cpu.save(uc_, error_scratch_))
            return fail_build(child);
        std::optional<CpuState> caller = CpuState::allocate(uc_, error_scratch_);
        if (!caller || !caller->save(uc_, error_scratch_))
            return fail_build(child);
        i64 result = build();
        bool saved = child.cpu.save(uc_, error_scratch_);
        if (!caller->restore(uc_, error_scratch_) || !saved)
            return fail_build(child);
        if (result < 0)
            child.state = LwpState::exited;
        return result;
    }
    void block(Lwp& lwp, const Wait& wait);
    void wake(Lwp& lwp, i64 result);
    // Wakes lwp to make its call again from the start, as if it trapped
    // anew: for a wait whose result the call's own handler must work out
    // (a socket's accept or read once there is something to take).
    void retry(Lwp& lwp);
    int futex_wake(u64 address, int count, u32 bitset);
    u64 next_futex_sequence();
    void exit_lwp(Lwp& lwp, int code);
    // The process ends: the first one's end is the run's; another becomes
    // a zombie its parent reaps (process_tree.cc).
    void exit_process(int code);
    void kill_process(int signo);

    // ---- the process tree (process_tree.cc) ----
    // fork: a copy of this process (memory, files, signal actions, cwd)
    // whose one LWP goes on from `caller`'s registers; `child_registers`
    // runs with the child's registers live to set what its call returns.
    // The child, or nullptr and -errno in error (EAGAIN past the process
    // limit, ENOMEM past the run's memory cap).
    using ChildRegisters = void (*)(Process& child, u64 stack);
    Process* fork(Lwp& caller, ChildRegisters child_registers, u64 stack, i64& error);
    // execve: this process runs `image` from its entry, with a new address
    // space and one LWP (the caller, which keeps its tid when it is the
    // main one, else takes the pid); close-on-exec files closed, caught
    // signals reset. -errno when the new image cannot be set up (then the
    // process cannot go on: it is killed, as Linux does past the point of
    // no return).
    i64 exec(Lwp& caller, ElfImage image, const std::vector<std::string>& argv,
             const std::vector<std::string>& envp);
    int parent_pid() const { return parent_pid_; }
    // getppid: the parent's pid (the first process's is init's, 1).
    int ppid() const { return parent_pid_ == 0 ? posix_init_pid : parent_pid_; }
    static constexpr int posix_init_pid = 1;
    bool zombie() const { return life_ == Life::zombie; }
    bool alive() const { return life_ == Life::live; }
    const ChildEnd& end() const { return end_; }
    void reap() { life_ = Life::reaped; }
    // An ended process (a zombie, or reaped) needs its engine no more: the
    // kernel closes it between slices (release_engine), so a run may start
    // many more processes in its life than are alive at once, and their
    // memory stops counting against the run's cap.
    bool holds_engine() const { return uc_ != nullptr; }
    void release_engine();
    // The first process (its end is the run's).
    bool initial() const;
    bool has_live_lwps() const;
    // The end of the whole run (the kernel's), with its verdict.
    void end_run(EndKind kind, int status, std::string detail);
    bool ended() const;

    // Signals.
    std::array<SigAction, sig::max + 1>& actions() { return actions_; }
    SigAction& action(int signo) { return actions_[static_cast<std::size_t>(signo)]; }
    u64 shared_pending() const { return shared_pending_; }
    // A process-directed signal no longer pending (its action became SIG_IGN).
    void discard_shared(int signo) { shared_pending_ &= ~sigbit(signo); }
    void send_to_thread(Lwp& lwp, const SigInfo& info);
    void send_to_process(const SigInfo& info);
    bool is_ignored(int signo) const;
    // The live sp of the running LWP is on its altstack.
    bool on_altstack(const Lwp& lwp, u64 sp) const;
    // sigreturn / setcontext: the full CPU state saved when the frame at
    // `frame` was delivered becomes live again (false: there is none, and
    // the caller restores what the frame holds).
    bool restore_signal_context(Lwp& lwp, u64 frame);

    // Interval timers: ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF.
    std::array<ITimer, 3>& itimers() { return itimers_; }
    const std::array<ITimer, 3>& itimers() const { return itimers_; }

    // A syscall handled as unsupported: ENOSYS, a note once per number, and
    // under --strict the end of the run.
    i64 unsupported(const SyscallArgs& args, std::string_view name);
    void note(const std::string& text); // to the guest's stderr, prefixed "crossrt-kernel: "
    // A note about a call, the first time it is made in the run only.
    void note_once(u64 syscall, const std::string& text);
    int out_fd() const;
    int err_fd() const;
    // Guest output to a host fd; what an earlier attempt of this run wrote
    // already is not written again (replay.h).
    i64 write_output(int host_fd, const char* data, std::size_t length);

    // ---- for the kernel's run loop ----
    void switch_to(Lwp& lwp);
    void save_registers(Lwp& lwp);
    // One run of the CPU on the current LWP. It ends at the first block
    // boundary the scheduler may choose once `limit` instructions have run,
    // or exactly after `exact` instructions (an injection point, a pause).
    // A run that continues one an exact stop paused gives the block it
    // starts at the verdict that stop left (resume_may_end()), so the pair
    // ends where the one run would have.
    CpuRun run_cpu(u64 limit, std::optional<u64> exact = std::nullopt,
                   std::optional<bool> first_may_end = std::nullopt);
    // The last run ended at its exact stop.
    bool stopped_exactly() const { return stopped_exactly_; }
    // Whether a slice may end at the first block of a run that continues
    // the last one: where it stopped before a block, the verdict that block
    // would have had; inside one, never (no boundary was there).
    bool resume_may_end() const { return resume_may_end_; }
    // The trap that ended a run, handled for the running LWP; false when
    // the LWP's slice should end (it blocked, yielded or exited).
    bool handle_syscall(Lwp& lwp);
    // The call the CPU trapped at (before handle_syscall): whether it is a
    // synchronisation point (policy.h), and its name.
    bool at_sync_call();
    std::string trap_name();
    void handle_fault(Lwp& lwp, const SigInfo& info);
    void count_instructions(Lwp& lwp, u64 executed);
    // A syscall result a waker left, or the restart or EINTR of a call a
    // signal interrupted, before the LWP runs again.
    void resume(Lwp& lwp);
    // Runs at most one handler (one frame per return to user mode).
    void deliver_signals(Lwp& lwp);
    // The virtual times the process's timers next fire at.
    void fire_timers();

    // Called from the engine's hooks while the CPU runs: record and stop.
    void on_syscall_trap();
    void on_fault_trap(int signo, int code, u64 address, int trapno);
    void on_invalid_memory(uc_mem_type type, u64 address);
    static void block_hook(uc_engine*, u64 address, u32 size, void* user);
    void on_block(u64 address, u32 size);
    void on_block_slow(u64 address, u32 size, Block* block);
    void on_code(u64 address);
    // A debugger's hooks (debug/kernel_target.h): the instructions in
    // [first, last] run the instruction hook (the code watch sees them)
    // until unhook_code; their translations are dropped both times, so the
    // change takes effect at once. Hooks change no schedule.
    uc_hook hook_code(u64 first, u64 last);
    void unhook_code(uc_hook hook, u64 first, u64 last);
    // Every instruction is hooked (a watchpoint is set): faults get their
    // exact pc without a replay.
    void set_hooks_every_instruction(bool on) { hooks_every_instruction_ = on; }

private:
    i64 fail_build(Lwp& child);
    bool add_hooks(std::string& error);
    bool add_counting_hooks(std::string& error);
    int next_signal(const Lwp& lwp) const;
    SigInfo take_signal(Lwp& lwp, int signo);
    void wake_for_signal(Lwp& lwp, int signo);
    void map_engine_error(uc_err error);
    void settle_trap();
    void enter_block(const Block& block);
    // run_.executed before the running block.
    u64 block_base() const;
    void stop_cpu(StopSite site);
    bool stopped_after_hint(uc_err error) const;
    bool steps_every_instruction(const Block& block) const;
    bool add_code_hook(u64 first, u64 last, uc_hook* handle);
    void prepare_restart();
    void write_virtual_tsc();
    bool push_frame(Lwp& lwp, int signo, const SigInfo& info, SigAction& action);

    Kernel& kernel_;
    int pid_;
    ElfImage image_;
    std::unique_ptr<Cpu> cpu_;
    std::unique_ptr<Personality> personality_;
    std::unique_ptr<posix::SyscallTable> table_;
    uc_engine* uc_ = nullptr;
    std::unique_ptr<AddressSpace> memory_;
    std::unique_ptr<BlockMap> blocks_;
    // rdtsc/rdtscp just ran: their result, from the virtual clock, is
    // written over the host's before the next instruction (0: none).
    int pending_tsc_ = 0;
    u64 pending_tsc_value_ = 0;
    posix::Files files_;
    enum class Life { live, zombie, reaped };
    Life life_ = Life::live;
    int parent_pid_ = 0; // 0: the first process (its parent is outside the run)
    ChildEnd end_;
    void become_zombie(bool signaled, int status);
    // Closes the engine and forgets what its hooks knew (exec, release).
    void close_engine();
    bool start_engine(std::string& error);
    bool start_program(const std::vector<std::string>& argv, const std::vector<std::string>& envp,
                       std::string& error);
    int new_tid(int ordinal);
    posix::NodePtr cwd_;
    std::string exe_path_;
    std::vector<std::string> argv_;
    u32 umask_ = 022;
    std::array<SigAction, sig::max + 1> actions_{};
    u64 shared_pending_ = 0;
    std::array<SigInfo, sig::max + 1> shared_info_{};
    std::array<ITimer, 3> itimers_{};
    std::vector<std::unique_ptr<Lwp>> lwps_;
    int next_ordinal_ = 1;
    u64 cpu_insns_ = 0;
    std::string error_scratch_;

    // The CPU run in progress (cpu_loop.cc). run_.executed counts each
    // block whole when it starts; a stop inside one corrects it.
    u64 run_limit_ = 0;
    std::optional<u64> exact_at_;
    u64 horizon_ = 0; // below this, nothing but counting is due
    u64 saved_horizon_ = 0;
    CpuRun run_;
    StopSite stop_site_ = StopSite::none;
    const Block* block_ = nullptr; // the block running
    u32 in_block_ = 0;             // an undecoded block's instructions so far
    u32 next_index_ = 0;           // the instruction hook's guess at the next index
    u64 block_stop_pc_ = 0;        // the block the block hook saw last
    bool first_may_end_ = true;    // for the run's first block
    bool stopped_exactly_ = false;
    bool resume_may_end_ = true;
    // The block hook stopped before a block to hook it exactly first.
    std::vector<std::pair<u64, u64>> to_hook_;        // [first, last] ranges
    std::optional<std::pair<u64, u64>> step_through_; // exact_at_ is in it
    uc_hook stepping_hook_ = 0;
    std::pair<u64, u64> stepping_range_{};
    u64 bad_access_address_ = 0;
    bool hooks_every_instruction_ = false;
    u64 random_bytes_ = 0; // AT_RANDOM's bytes on the initial stack
    u64 boot_entry_ = 0;
    u64 boot_sp_ = 0;
};

} // namespace crossrt::kernel
