// Chrome's trace-event format, "JSON Object Format" ({"traceEvents": [...]}),
// which Perfetto's UI and chrome://tracing open: a writer of complete ("X"),
// instant ("i") and metadata ("M") events to a file, times in virtual ns
// written as the format's microseconds with three decimals. A guest decides
// how many events its run makes, so the writer stops at a cap and says so in
// a last event; the file is valid JSON however the run ends, once finish()
// or the destructor ran.
#pragma once

#include "kernel/types.h"

#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace crossrt::kernel {

// Events kept before the cut: about 120 bytes each, some 30 MB of JSON.
constexpr u64 kMaxTraceEvents = 250'000;

// An event's "args": numbers or text, in the order given.
using TraceArgs = std::vector<std::pair<std::string_view, std::variant<u64, std::string>>>;

class TraceEventWriter {
public:
    explicit TraceEventWriter(u64 max_events = kMaxTraceEvents) : max_events_(max_events) {}
    ~TraceEventWriter();
    TraceEventWriter(const TraceEventWriter&) = delete;
    TraceEventWriter& operator=(const TraceEventWriter&) = delete;

    // Truncates `path` and starts the document; false when it cannot. A
    // file open before is dropped as it is, not ended (see the .cc).
    bool open(const std::string& path);
    bool enabled() const { return file_ != nullptr; }

    void process_name(int pid, std::string_view name);
    void thread_name(int pid, int tid, std::string_view name, int sort_index);
    // A span [begin_ns, end_ns] on the thread's track.
    void complete(int pid, int tid, std::string_view name, u64 begin_ns, u64 end_ns,
                  const TraceArgs& args = {});
    // A point on the thread's track.
    void instant(int pid, int tid, std::string_view name, u64 at_ns, const TraceArgs& args = {});
    // Ends the document and closes the file; nothing is written after it.
    void finish();
    // Before a fork: the buffered bytes must not be written twice.
    void flush();

    u64 events() const { return events_; }
    bool cut() const { return cut_; }

private:
    // False past the cap: then the event is not written, and the first one
    // refused writes the note that the timeline was cut there instead.
    bool admit(int pid, int tid, u64 at_ns);
    void write_event(const std::string& text);

    std::FILE* file_ = nullptr;
    u64 max_events_;
    u64 events_ = 0;
    bool first_ = true; // no event written yet: no comma before it
    bool cut_ = false;
};

} // namespace crossrt::kernel
