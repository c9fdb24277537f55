#include "kernel/trace_events.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace crossrt::kernel {

namespace {

// A JSON string: names can come from the guest (a program's path), which
// may hold any bytes; invalid UTF-8 becomes U+FFFD.
std::string json_string(std::string_view text) {
    return nlohmann::json(std::string(text))
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The format's microseconds, exact: the virtual clock counts whole ns.
std::string micros(u64 ns) {
    return fmt::format("{}.{:03}", ns / 1000, ns % 1000);
}

std::string args_object(const TraceArgs& args) {
    std::string text = "{";
    for (const auto& [key, value] : args) {
        if (text.size() > 1)
            text += ',';
        text += json_string(key);
        text += ':';
        if (const u64* number = std::get_if<u64>(&value))
            text += std::to_string(*number);
        else
            text += json_string(std::get<std::string>(value));
    }
    return text + "}";
}

} // namespace

TraceEventWriter::~TraceEventWriter() {
    finish();
}

bool TraceEventWriter::open(const std::string& path) {
    // Open already: this is a fork (a sweep's seed) taking a file of its
    // own, and the one it had is its parent's to end, not its own (the
    // pause before the fork flushed it: closing it writes nothing).
    if (file_ != nullptr)
        std::fclose(file_);
    file_ = std::fopen(path.c_str(), "w");
    if (file_ == nullptr)
        return false;
    events_ = 0;
    first_ = true;
    cut_ = false;
    // displayTimeUnit: the clock counts instructions, 1 ns each; ns reads
    // better than fractions of a microsecond.
    std::fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n", file_);
    return true;
}

bool TraceEventWriter::admit(int pid, int tid, u64 at_ns) {
    if (events_ < max_events_)
        return true;
    if (!cut_) {
        cut_ = true;
        write_event(fmt::format(
            R"({{"ph":"i","s":"g","name":"timeline cut","cat":"note","pid":{},"tid":{},"ts":{},"args":{}}})",
            pid, tid, micros(at_ns),
            args_object({{"reason", fmt::format("the cap of {} events was reached; nothing "
                                                "after this point is in the file",
                                                max_events_)}})));
    }
    return false;
}

void TraceEventWriter::write_event(const std::string& text) {
    if (!first_)
        std::fputs(",\n", file_);
    first_ = false;
    std::fputs(text.c_str(), file_);
    ++events_;
}

void TraceEventWriter::process_name(int pid, std::string_view name) {
    if (file_ == nullptr || !admit(pid, 0, 0))
        return;
    write_event(
        fmt::format(R"({{"ph":"M","name":"process_name","pid":{},"tid":0,"ts":0,"args":{}}})", pid,
                    args_object({{"name", std::string(name)}})));
}

void TraceEventWriter::thread_name(int pid, int tid, std::string_view name, int sort_index) {
    if (file_ == nullptr || !admit(pid, tid, 0))
        return;
    write_event(
        fmt::format(R"({{"ph":"M","name":"thread_name","pid":{},"tid":{},"ts":0,"args":{}}})", pid,
                    tid, args_object({{"name", std::string(name)}})));
    if (!admit(pid, tid, 0))
        return;
    write_event(
        fmt::format(R"({{"ph":"M","name":"thread_sort_index","pid":{},"tid":{},"ts":0,"args":{}}})",
                    pid, tid, args_object({{"sort_index", static_cast<u64>(sort_index)}})));
}

void TraceEventWriter::complete(int pid, int tid, std::string_view name, u64 begin_ns, u64 end_ns,
                                const TraceArgs& args) {
    if (file_ == nullptr || !admit(pid, tid, begin_ns))
        return;
    write_event(
        fmt::format(R"({{"ph":"X","name":{},"pid":{},"tid":{},"ts":{},"dur":{},"args":{}}})",
                    json_string(name), pid, tid, micros(begin_ns),
                    micros(end_ns > begin_ns ? end_ns - begin_ns : 0), args_object(args)));
}

void TraceEventWriter::instant(int pid, int tid, std::string_view name, u64 at_ns,
                               const TraceArgs& args) {
    if (file_ == nullptr || !admit(pid, tid, at_ns))
        return;
    write_event(fmt::format(R"({{"ph":"i","s":"t","name":{},"pid":{},"tid":{},"ts":{},"args":{}}})",
                            json_string(name), pid, tid, micros(at_ns), args_object(args)));
}

void TraceEventWriter::finish() {
    if (file_ == nullptr)
        return;
    std::fputs("\n]}\n", file_);
    std::fclose(file_);
    file_ = nullptr;
}

void TraceEventWriter::flush() {
    if (file_ != nullptr)
        std::fflush(file_);
}

} // namespace crossrt::kernel
