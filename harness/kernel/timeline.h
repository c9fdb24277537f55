// --timeline FILE: the run as Chrome trace-event JSON (trace_events.h), one
// track per LWP (pid: the guest pid; tid: the LWP's tid, NetBSD's lid),
// with the spans of its states (running on the CPU, runnable and waiting
// for it, blocked and in what wait) and, on it, zero-length slices for the
// syscalls it makes and instants for scheduling decisions, signals and
// injections. All on the kernel's virtual clock, so the same seed writes
// the same bytes.
//
// The kernel does not report each state change: it asks the timeline to
// look (observe) after anything that can change a state (a syscall, a
// fault, timers and injections firing, a slice's start and end), and the
// timeline compares every LWP with what it saw last. A syscall takes no
// virtual time, so a span ends at the instruction count where the call
// that changed it was made.
#pragma once

#include "kernel/trace_events.h"
#include "kernel/types.h"

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace crossrt::kernel {

class Process;
struct Lwp;

class Timeline {
public:
    explicit Timeline(u64 max_events = kMaxTraceEvents) : writer_(max_events) {}

    bool open(const std::string& path);
    bool enabled() const { return writer_.enabled(); }

    // Every LWP's state now; `running` is the LWP on the CPU (nullptr
    // between slices). A state that changed since the last look ends its
    // span here and starts the next.
    void observe(const std::vector<std::unique_ptr<Process>>& processes, const Lwp* running,
                 u64 now);
    // The scheduler gave `lwp` the CPU for up to `length` instructions.
    void scheduled(const Lwp& lwp, u64 length, u64 now);
    // The syscall `lwp` just made (Lwp::syscall_name), as a zero-length slice.
    void syscall(const Lwp& lwp, u64 now);
    // A point on lwp's track: a signal delivered, an injection.
    void mark(const Lwp& lwp, std::string_view name, u64 now, const TraceArgs& args = {});
    // The run ended: the open spans end at `now`, the file is complete.
    void finish(u64 now);
    void flush() { writer_.flush(); }

private:
    struct Track {
        int pid = 0;
        int tid = 0;
        std::string state; // the open span's name; empty: none (exited)
        u64 since = 0;
        TraceArgs args;
    };
    using Key = std::pair<int, int>; // pid, LWP ordinal: a map in creation order per pid

    void end_span(Track& track, u64 now);

    TraceEventWriter writer_;
    std::map<Key, Track> tracks_;
    std::map<int, std::string> process_names_;
};

} // namespace crossrt::kernel
