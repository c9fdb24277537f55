// What the stub (stub.h) needs of the program it debugs: threads,
// registers, memory, breakpoints and watchpoints, and running forwards or
// backwards until something stops it. kernel_target.h implements it on the
// unicorn kernel; the stub's tests implement it on a fake.
#pragma once

#include "debug/target_description.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossrt::debug {

// gdb's multiprocess thread id: the guest pid and the LWP's number in it.
struct ThreadId {
    int pid = 0;
    int lwp = 0;
    bool operator==(const ThreadId&) const = default;
};

struct ThreadInfo {
    ThreadId id;
    std::string name;
};

enum class PointKind { software = 0, hardware = 1, write = 2, read = 3, access = 4 };

// Why the program stopped, as the stop reply says it.
struct StopEvent {
    enum class Kind {
        trap,           // a step ended, a breakpoint, or gdb's ^C
        signal,         // a signal is about to reach the thread (signo, the guest's)
        watch,          // a watchpoint's access (kind, address)
        syscall_entry,  // catch syscall (number)
        syscall_return, // catch syscall (number)
        history_begin,  // backwards: nothing before this
        exited,         // the program ended: status
        killed,         // the program ended by a signal: signo
    };
    Kind kind = Kind::trap;
    ThreadId thread;
    std::string signal_name;  // signal, killed: "SIGSEGV"
    int status = 0;           // exited
    std::uint64_t number = 0; // syscall
    PointKind watch = PointKind::write;
    std::uint64_t address = 0; // watch
};

struct Resume {
    bool step = false;       // one instruction of `thread`, else until a stop
    bool backwards = false;  // reverse-stepi / reverse-continue
    ThreadId thread;         // the thread to step (continue: any)
    std::string signal_name; // resume delivering this signal ("": none)
    // Polled while running: true when gdb asked to stop (^C).
    std::function<bool()> interrupted;
};

class DebugTarget {
public:
    virtual ~DebugTarget() = default;
    virtual const TargetDescription& description() const = 0;
    virtual std::string osabi() const = 0; // "GNU/Linux", "NetBSD"
    virtual std::vector<ThreadInfo> threads() = 0;
    virtual ThreadId current_thread() = 0;
    // A register's bytes as gdb wants them (the target's byte order),
    // nullopt when it cannot be read (gdb shows it unavailable).
    virtual std::optional<std::string> read_register(ThreadId thread, const RegisterInfo& reg) = 0;
    virtual bool write_register(ThreadId thread, const RegisterInfo& reg,
                                std::string_view bytes) = 0;
    // Of `pid`'s address space; false when any of it is not mapped.
    virtual bool read_memory(int pid, std::uint64_t address, std::size_t length,
                             std::string& bytes) = 0;
    virtual bool write_memory(int pid, std::uint64_t address, std::string_view bytes) = 0;
    // Z/z packets: false when the kind is not supported.
    virtual bool insert_point(PointKind kind, std::uint64_t address, std::uint64_t length) = 0;
    virtual bool remove_point(PointKind kind, std::uint64_t address, std::uint64_t length) = 0;
    // QCatchSyscalls: none (off), every call (all), or these numbers.
    virtual void catch_syscalls(bool on, std::vector<std::uint64_t> numbers) = 0;
    // QPassSignals: these signals (gdb's numbers) reach the guest without a stop.
    virtual void pass_signals(std::vector<int> gdb_signals) = 0;
    virtual StopEvent resume(const Resume& resume) = 0;
    // qRcmd: the reply text, or an error text starting with "error: ".
    virtual std::string monitor(std::string_view command) = 0;
    // Text for gdb's console that a run made (monitor trace on): taken
    // after each resume and shown before its stop.
    virtual std::string take_console() { return ""; }
};

} // namespace crossrt::debug
