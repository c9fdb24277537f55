// The unicorn kernel as a DebugTarget: the run is stopped before its first
// instruction, and runs forwards under gdb's breakpoints, watchpoints,
// steps and syscall catchpoints, and backwards by replay. A run is a pure
// function of its inputs (the seed, the schedule, the injections), so the
// state after N instructions is the same every time: going back to N is
// booting a fresh kernel and running it until N (Kernel::run_until).
//
// Hooks cost only while they are asked for: a breakpoint is an instruction
// hook on its own address; a watchpoint is a memory hook on its bytes plus
// an instruction hook on every instruction (the stop comes right after the
// access), both gone when the last watchpoint is.
#pragma once

#include "debug/target.h"
#include "kernel/elf_load.h"
#include "kernel/kernel.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace crossrt::debug {

class KernelTarget : public DebugTarget {
public:
    KernelTarget(kernel::ElfImage image, kernel::KernelOptions options);
    ~KernelTarget() override;
    // Boots the kernel: the run stands before its first instruction.
    bool boot(std::string& error);
    // Runs on without the debugger to the run's end (detach, or gdb gone).
    kernel::RunEnd run_to_end();
    kernel::Kernel& kernel() { return *kernel_; }
    // Where the run stands: instructions executed.
    std::uint64_t position() const { return kernel_->total_insns(); }
    // Back (or on) to the state after `count` instructions, by replay when
    // it is behind: false when the run ended before it (error says how).
    bool go_to(std::uint64_t count, std::string& error);

    const TargetDescription& description() const override { return *description_; }
    std::string osabi() const override;
    std::vector<ThreadInfo> threads() override;
    ThreadId current_thread() override;
    std::optional<std::string> read_register(ThreadId thread, const RegisterInfo& reg) override;
    bool write_register(ThreadId thread, const RegisterInfo& reg, std::string_view bytes) override;
    bool read_memory(int pid, std::uint64_t address, std::size_t length,
                     std::string& bytes) override;
    bool write_memory(int pid, std::uint64_t address, std::string_view bytes) override;
    bool insert_point(PointKind kind, std::uint64_t address, std::uint64_t length) override;
    bool remove_point(PointKind kind, std::uint64_t address, std::uint64_t length) override;
    void catch_syscalls(bool on, std::vector<std::uint64_t> numbers) override;
    void pass_signals(std::vector<int> gdb_signals) override;
    StopEvent resume(const Resume& resume) override;
    std::string monitor(std::string_view command) override;
    std::string take_console() override;

    // Called by the engine's memory hook (a watchpoint's bytes).
    void on_memory_access(bool write, std::uint64_t address, int size);

private:
    struct Watchpoint {
        PointKind kind;
        std::uint64_t address;
        std::uint64_t length;
    };
    // The hooks installed in one process's engine.
    struct Installed {
        uc_engine* engine = nullptr;
        std::map<std::uint64_t, uc_hook> breakpoints;
        uc_hook every_instruction = 0;
        std::vector<uc_hook> memory;
    };
    // A stop found while running: where, and what gdb is told.
    struct Hit {
        std::uint64_t count = 0;
        StopEvent event;
    };
    // run: hits stop the run; scan: hits are noted (reverse-continue's
    // replay); quiet: nothing is (going to a count).
    enum class Mode { run, scan, quiet };
    struct Forward {
        std::optional<Hit> hit;
        std::optional<kernel::RunEnd> end;
        bool interrupted = false;
    };

    bool start_kernel(std::string& error);
    void install_watches();
    void sync_hooks();
    void drop_hooks();
    kernel::Lwp* find_lwp(ThreadId thread);
    ThreadId id_of(const kernel::Lwp& lwp) const;
    StopEvent end_event(const kernel::RunEnd& end);
    // Runs until a hit, the end, gdb's ^C, `limit`, or the slice of the
    // thread being stepped.
    Forward run_forward(std::uint64_t limit, const Resume& resume);
    StopEvent step(const Resume& resume);
    StopEvent step_back(const Resume& resume);
    StopEvent continue_back(const Resume& resume);
    StopEvent stopped_here(ThreadId thread);
    // A fault Unicorn left without an exact pc ended the run: the block
    // joins the exact ranges and the run is replayed to `count`.
    bool retry_after_replay_request(std::uint64_t count, std::string& error);

    kernel::ElfImage image_;
    kernel::KernelOptions options_; // as the run was asked for (replays start from it)
    const TargetDescription* description_ = nullptr;
    std::unique_ptr<kernel::Kernel> kernel_;
    std::set<std::uint64_t> breakpoints_;
    std::vector<Watchpoint> watchpoints_;
    std::map<int, Installed> installed_; // by pid
    bool catching_ = false;
    std::set<std::uint64_t> caught_; // empty: every call
    // Where each slice started and whose it was: the LWP that ran each
    // instruction, for reverse-stepi. Kept across replays (they repeat it).
    std::map<std::uint64_t, ThreadId> slices_;
    std::optional<ThreadId> step_target_; // pause when its slice starts
    // While running: the mode, where the run went on from, what was hit.
    Mode mode_ = Mode::run;
    std::uint64_t resumed_at_ = 0;
    std::optional<Hit> hit_;
    std::vector<Hit> scanned_;
    std::optional<StopEvent> pending_watch_; // an access: stop before the next instruction
    // Signals gdb lets through without a stop (QPassSignals), by name.
    std::set<std::string> passed_signals_;
    bool tracing_ = false; // monitor trace on: the kernel's trace goes to gdb's console
    // A signal about to be taken: the kernel was abandoned there, and the
    // run is replayed to the count it came at.
    std::optional<Hit> signal_hit_;
    // The signal stop the run stands at: taken without a stop when it goes on.
    std::optional<std::pair<std::uint64_t, StopEvent>> signal_stop_;
};

} // namespace crossrt::debug
