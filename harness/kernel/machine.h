// One guest: the Unicorn engine, its memory, its LWPs, signal state, the
// virtual clock and the run loop. The ABI layer (abi/) and the syscall
// handlers (linux/) work on it; nothing here depends on host time, host
// threads or host pointer values, so a seed fixes a run completely.
#pragma once

#include "kernel/abi/abi.h"
#include "kernel/abi/netbsd.h"
#include "kernel/elf_load.h"
#include "kernel/lwp.h"
#include "kernel/mm.h"
#include "kernel/posix/files.h"
#include "kernel/sched.h"
#include "kernel/trace.h"
#include "kernel/types.h"

#include <array>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace crossrt::kernel {

namespace posix {
class SyscallTable;
}

constexpr u64 kDefaultMaxInsns = 50'000'000'000ull;
constexpr u64 kDefaultMaxMemory = 1ull << 30;
constexpr int kGuestPid = 100; // the main thread's tid; threads get 101, 102, ...

// --inject SIG@N[:LWP]
struct Injection {
    int signo = 0;
    u64 at = 0;  // instructions of the run, or of that LWP
    int lwp = 0; // ordinal (1 = main thread); 0: the whole run, to whichever LWP runs
    bool done = false;
};
// Parses "SIGUSR1@100000" or "SIGUSR1@100000:2"; nullopt on a bad spec.
std::optional<Injection> parse_injection(std::string_view text);

struct MachineOptions {
    u64 seed = kDefaultSeed;
    bool strict = false;
    std::string trace_path;
    std::vector<Injection> injections;
    u64 max_insns = kDefaultMaxInsns;
    u64 max_memory = kDefaultMaxMemory;
    std::vector<std::string> argv; // argv[0] as the guest sees it
    std::vector<std::string> envp;
    int out_fd = 1;
    int err_fd = 2;
};

// Which kernel the guest expects: chosen from the ELF (ElfImage::os).
enum class Personality { linux, netbsd };

enum class EndKind { exited, signaled, deadlock, budget, unsupported, error };

struct RunEnd {
    EndKind kind = EndKind::error;
    int status = 0; // exit status or signal
    std::string detail;
};

struct SigAction {
    u64 handler = 0; // 0 SIG_DFL, 1 SIG_IGN
    u64 flags = 0;
    u64 restorer = 0;
    u64 mask = 0;
    u64 trampoline = 0; // NetBSD: __sigaction_sigtramp's tramp (the handler's return address)
};

constexpr u64 kSaSiginfo = 0x4;
constexpr u64 kSaOnstack = 0x08000000;
constexpr u64 kSaRestart = 0x10000000;
constexpr u64 kSaNodefer = 0x40000000;
constexpr u64 kSaResethand = 0x80000000;
constexpr u64 kSaRestorer = 0x04000000;

struct ITimer {
    u64 interval_ns = 0;
    std::optional<u64> next; // virtual ns (REAL) or CPU ns (PROF, VIRTUAL)
};

// What stopped the CPU.
enum class TrapKind { none, syscall, fault };
struct Trap {
    TrapKind kind = TrapKind::none;
    SigInfo fault;
};

class Machine {
public:
    Machine(ElfImage image, MachineOptions options);
    ~Machine();
    Machine(const Machine&) = delete;
    Machine& operator=(const Machine&) = delete;

    bool boot(std::string& error);
    // Swaps the table the traps are looked up in (tests).
    void set_syscall_table(std::unique_ptr<posix::SyscallTable> table);
    RunEnd run();

    // ---- for the ABI layer and the handlers ----
    uc_engine* uc() const { return uc_; }
    const Abi& abi() const { return *abi_; }
    Personality personality() const { return personality_; }
    // NetBSD guests only.
    const NetbsdAbi& netbsd_abi() const { return *netbsd_abi_; }
    // The personality's trap convention for the running LWP.
    SyscallArgs syscall_args();
    void set_syscall_result(i64 result);
    i64 enosys() const; // -ENOSYS as the personality numbers it
    AddressSpace& memory() { return *memory_; }
    Trace& trace() { return trace_; }
    const MachineOptions& options() const { return options_; }
    Lwp& current() { return *current_; }
    int pid() const { return kGuestPid; }
    int word_size() const { return abi_->word_size(); }
    u64 random() { return random_.next(); } // getrandom: a stream of its own from the seed

    // Called from the hooks while the CPU runs: record and stop.
    void on_syscall_trap();
    void on_fault_trap(int signo, int code, u64 address, int trapno);
    void on_invalid_memory(uc_mem_type type, u64 address);
    void on_code(u64 address);

    // Guest words (4 or 8 bytes by arch).
    bool read_word(u64 address, u64& value) const;
    bool write_word(u64 address, u64 value);

    // Time: virtual, advanced by executed instructions and by jumps to the
    // next timer when every LWP waits.
    u64 now_ns() const { return total_insns_ + jumped_ns_; }
    u64 cpu_ns() const { return total_insns_; }
    u64 total_insns() const { return total_insns_; }

    // LWPs.
    Lwp* find_lwp(int tid);
    const std::vector<std::unique_ptr<Lwp>>& lwps() const { return lwps_; }
    // A copy of the current LWP's context, not yet runnable. Its tid is
    // kGuestPid + n on Linux, the NetBSD lid (1 = the main LWP) on NetBSD.
    Lwp* create_lwp();
    void block(Lwp& lwp, const Wait& wait);
    void wake(Lwp& lwp, i64 result);
    int futex_wake(u64 address, int count, u32 bitset);
    u64 next_futex_sequence() { return ++futex_sequence_; }
    void exit_lwp(Lwp& lwp, int code);
    void exit_process(int code);
    void kill_process(int signo);
    void end_run(EndKind kind, int status, std::string detail);
    bool ended() const { return end_.has_value(); }

    // Signals.
    std::array<SigAction, sig::max + 1> actions{};
    u64 shared_pending = 0;
    std::array<SigInfo, sig::max + 1> shared_info{};
    void send_to_thread(Lwp& lwp, const SigInfo& info);
    void send_to_process(const SigInfo& info);
    bool is_ignored(int signo) const;
    // The live sp of the running LWP is on its altstack.
    bool on_altstack(const Lwp& lwp, u64 sp) const;

    // Pipes and epoll instances (fds >= 3).
    posix::Files files;

    // Timers.
    std::array<ITimer, 3> itimers{}; // ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF

    // A syscall handled as unsupported: ENOSYS, a note once per number, and
    // under --strict the end of the run.
    i64 unsupported(const SyscallArgs& args, std::string_view name);
    void note(const std::string& text); // to the guest's stderr, prefixed "crossrt-kernel: "

    // Writes the guest's output.
    int out_fd() const { return options_.out_fd; }
    int err_fd() const { return options_.err_fd; }

private:
    void add_hooks();
    void switch_to(Lwp& lwp);
    void save_current();
    void run_lwp(Lwp& lwp);
    u64 next_event_distance(const Lwp& lwp) const;
    void fire_events(Lwp& lwp);
    void expire_waits();
    std::optional<u64> earliest_deadline() const;
    void report_deadlock();
    // One run of the CPU: at most limit instructions; returns how many ran.
    u64 run_cpu(u64 limit);
    void handle_syscall(Lwp& lwp, bool& keep_running);
    void handle_fault(Lwp& lwp, const SigInfo& info);
    void resume_interrupted(Lwp& lwp);
    void deliver_signals(Lwp& lwp);
    bool push_netbsd_frame(Lwp& lwp, const SignalDelivery& delivery, const SigAction& action);
    int next_signal(const Lwp& lwp) const;
    SigInfo take_signal(Lwp& lwp, int signo);
    void wake_for_signal(Lwp& lwp, int signo);
    bool default_ignores(int signo) const;

    ElfImage image_;
    MachineOptions options_;
    Personality personality_ = Personality::linux;
    std::unique_ptr<Abi> abi_;
    std::unique_ptr<NetbsdAbi> netbsd_abi_;
    u64 netbsd_frame_ = 0; // the ucontext of the NetBSD frame just pushed
    uc_engine* uc_ = nullptr;
    std::unique_ptr<AddressSpace> memory_;
    SseAlignmentCheck* alignment_ = nullptr;
    std::unique_ptr<posix::SyscallTable> table_;
    Trace trace_;
    Scheduler scheduler_;
    Prng random_;
    std::vector<std::unique_ptr<Lwp>> lwps_;
    Lwp* current_ = nullptr;
    int next_ordinal_ = 1;
    u64 futex_sequence_ = 0;
    std::set<u64> noted_syscalls_;

    u64 total_insns_ = 0;
    u64 jumped_ns_ = 0;

    // The CPU run in progress.
    u64 run_limit_ = 0;
    u64 run_executed_ = 0;
    u64 last_pc_ = 0;
    bool stopped_at_limit_ = false;
    Trap trap_;
    uc_mem_type bad_access_type_ = UC_MEM_READ;
    u64 bad_access_address_ = 0;
    bool bad_access_ = false;

    std::optional<RunEnd> end_;
};

} // namespace crossrt::kernel
