// A light-weight process (a guest thread): its own saved CPU state, what it
// waits for, its signal state. It belongs to one Process (process.h), which
// owns the address space, the files and the signal actions it shares with
// its sibling LWPs.
#pragma once

#include "kernel/cpu_state.h"
#include "kernel/types.h"

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <unicorn/unicorn.h>
#include <vector>

namespace crossrt::kernel {

struct SyscallArgs {
    u64 nr = 0;
    // Linux passes at most 6; NetBSD's mmap takes 7 (8 words on 32-bit
    // arches, whose 64-bit offset takes two).
    std::array<u64, 8> a{};
};

// What a handler learns about a signal (the parts of siginfo the kernel fills).
struct SigInfo {
    int signo = 0;
    int code = 0;   // SI_USER 0, SI_KERNEL 0x80, SI_TKILL -6, SEGV_MAPERR 1, ...
    u64 addr = 0;   // faults: the address
    int pid = 0;    // kill/tgkill: the sender; SIGCHLD: the child
    int status = 0; // SIGCHLD: the exit code or the signal
    int trapno = 0;
};

constexpr int kSiUser = 0;
constexpr int kSiKernel = 0x80;
constexpr int kSiTkill = -6;

enum class LwpState { runnable, blocked, exited };

enum class WaitKind {
    none,
    futex,
    sleep,
    pause,
    epoll,
    pipe_read,
    pipe_write, // a blocking write to a full pipe (posix/pipe.h)
    lwp_park,
    kevent,
    child,
    fifo_open, // open(2) of a FIFO, until the other end is opened (posix/fifo.h)
    socket,    // a socket call, made again once its socket can answer (posix/socket.h)
    poll,      // poll(2), until one of its fds has events (posix/poll.h)
};

class Process;
struct Wait;
// How a child's end reaches a waiter (wait4, waitid, __wait450): written
// into its buffers; the call's result, or -errno.
struct ChildEnd {
    int pid = 0;
    bool signaled = false;
    int status = 0; // the exit code, or the signal
};
using ChildWriter = i64 (*)(Process& m, const Wait& wait, const ChildEnd& end);
// How a poll(2) waiter's personality turns what a file offers (posix/poll.h's
// ready bits) into a struct pollfd's revents for the events it asked for.
using PollTranslator = u16 (*)(u16 requested, u32 ready);

struct Wait {
    WaitKind kind = WaitKind::none;
    u64 address = 0;             // futex word
    u32 bitset = ~u32{0};        // futex bitset
    std::optional<u64> deadline; // virtual ns
    u64 sequence = 0;            // FIFO order among futex waiters
    // A signal ends the wait with EINTR, or restarts the call after the
    // handler when it has SA_RESTART and restartable is set.
    bool restartable = false;
    u64 remaining_out = 0;   // nanosleep's rem pointer (0: none)
    int fd = -1;             // epoll_wait: the epoll fd; read, write: the pipe's end
    u64 count = 0;           // epoll_wait: maxevents; read, write: the buffer's length
    u64 events_out = 0;      // kevent: the event list
    i64 timeout_result = 0;  // what a wait with a deadline returns when it expires
    bool no_sigpipe = false; // a blocked send with MSG_NOSIGNAL: EPIPE alone
    // A wait for a child: which (wait4's pid argument), whether it stays
    // waitable (WNOWAIT), and how its end is written.
    i64 child = -1;
    bool keep_child = false;
    ChildWriter write_child = nullptr;
    PollTranslator poll_translate = nullptr; // poll: events_out is the pollfd array, count its size
};

struct AltStack {
    u64 sp = 0;
    u64 size = 0;
    bool disabled = true;
};

// The kernel-side copies of the full CPU state at each signal delivery not
// yet returned from, so that sigreturn restores FP/SIMD state exactly (the
// frame on the guest stack carries the integer registers, which a handler
// may change). A copy is dropped when its frame returns, when a frame below
// it returns (a handler that longjmp'd out of a nested one), or when a new
// frame is written over it: nothing else forgets one. Past kLimit copies
// pending at once, push refuses, and the kernel ends the run with an error
// that says so.
class SignalContexts {
public:
    static constexpr std::size_t kLimit = 1024;

    // False when kLimit copies are pending already.
    bool push(u64 frame, CpuState state);
    // The copy saved for the frame at `frame` (sigreturn's key), dropping
    // it and every copy pushed after it; nullopt when there is none.
    std::optional<CpuState> take(u64 frame);
    // Forgets the copies whose frames lie in [low, high): memory a new
    // frame is about to overwrite.
    void drop_overwritten(u64 low, u64 high);
    std::size_t size() const { return saved_.size(); }

private:
    struct Saved {
        u64 frame;
        CpuState state;
    };
    std::vector<Saved> saved_;
};

class Process;

struct Lwp {
    Lwp(Process& owner, CpuState registers) : process(&owner), cpu(std::move(registers)) {}

    Process* process;
    int ordinal = 0; // 1 = the main thread, in creation order within its process
    // Preempted at the entry of a call that has not taken effect yet: it
    // does when the LWP runs again (Kernel::defer_at_sync_point).
    bool call_deferred = false;
    int tid = 0;
    // Linux's PR_SET_KEEPCAPS, a per-thread flag: kept and read back (the
    // guest has no capabilities to keep; Go's AllThreadsSyscall sets it on
    // every thread and checks that each one agrees).
    bool keep_caps = false;
    CpuState cpu; // the registers while it does not run
    LwpState state = LwpState::runnable;
    Wait wait;
    std::optional<i64> resume_result; // set by whoever woke it
    bool interrupted = false;         // a signal ended its wait
    bool call_again = false;          // woken to make its call again (Process::retry)
    SyscallArgs syscall;              // the call it is in (or last made)
    std::string syscall_name;
    u64 blocked_pc = 0;

    // sched_setaffinity's mask, bit i for CPU i (kMaxCpus <= 64). Only
    // reported back: the LWPs run one at a time whatever it says.
    u64 affinity = ~u64{0};

    u64 sigmask = 0;
    u64 pending = 0;
    std::array<SigInfo, sig::max + 1> pending_info{};
    AltStack altstack;
    SignalContexts signal_contexts;

    u64 clear_child_tid = 0;
    u64 insns = 0; // instructions this LWP executed
    int exit_code = 0;

    u64 gdt_base = 0; // 386: this LWP's GDT

    // NetBSD: _lwp_unpark before _lwp_park sets this; the next park
    // consumes it and returns EALREADY (several unparks collapse into one).
    bool unparked = false;
    u64 private_base = 0; // _lwp_setprivate: the thread pointer's value
};

} // namespace crossrt::kernel
