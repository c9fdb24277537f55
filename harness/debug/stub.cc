#include "debug/stub.h"

#include "debug/rsp.h"

#include <algorithm>
#include <array>
#include <fmt/format.h>

namespace crossrt::debug {
namespace {

// gdb/signals.def: the first 33 and the real-time ones gdb numbers apart.
constexpr std::array<const char*, 34> kGdbSignals = {
    "",         "SIGHUP",  "SIGINT",  "SIGQUIT", "SIGILL",  "SIGTRAP",   "SIGABRT",
    "SIGEMT",   "SIGFPE",  "SIGKILL", "SIGBUS",  "SIGSEGV", "SIGSYS",    "SIGPIPE",
    "SIGALRM",  "SIGTERM", "SIGURG",  "SIGSTOP", "SIGTSTP", "SIGCONT",   "SIGCHLD",
    "SIGTTIN",  "SIGTTOU", "SIGIO",   "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
    "SIGWINCH", "SIGLOST", "SIGUSR1", "SIGUSR2", "SIGPWR",  "SIGPOLL"};

std::string thread_text(ThreadId id) {
    return fmt::format("p{:x}.{:x}", id.pid, id.lwp);
}

std::string error_reply(int code) {
    return fmt::format("E{:02x}", code);
}

std::string escape_xml(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '&':
            out += "&amp;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

// The 'g' and 'G' packets hold the registers in gdb's numbering order.
std::vector<const RegisterInfo*> by_number(const TargetDescription& description) {
    std::vector<const RegisterInfo*> ordered;
    for (const RegisterInfo& reg : description.registers)
        ordered.push_back(&reg);
    std::sort(ordered.begin(), ordered.end(),
              [](const RegisterInfo* a, const RegisterInfo* b) { return a->regnum < b->regnum; });
    return ordered;
}

} // namespace

int gdb_signal_number(std::string_view name) {
    for (std::size_t i = 1; i < kGdbSignals.size(); ++i) {
        if (name == kGdbSignals[i])
            return static_cast<int>(i);
    }
    return 0;
}

std::string gdb_signal_name(int number) {
    if (number <= 0 || static_cast<std::size_t>(number) >= kGdbSignals.size())
        return "";
    return kGdbSignals[static_cast<std::size_t>(number)];
}

std::string Stub::stop_reply(const StopEvent& stop) {
    std::string thread = fmt::format("thread:{};", thread_text(stop.thread));
    switch (stop.kind) {
    case StopEvent::Kind::exited:
        return fmt::format("W{:02x};process:{:x}", stop.status & 0xff, stop.thread.pid);
    case StopEvent::Kind::killed:
        return fmt::format("X{:02x};process:{:x}", gdb_signal_number(stop.signal_name),
                           stop.thread.pid);
    case StopEvent::Kind::signal:
        return fmt::format("T{:02x}{}", gdb_signal_number(stop.signal_name), thread);
    case StopEvent::Kind::watch: {
        const char* what = stop.watch == PointKind::read     ? "rwatch"
                           : stop.watch == PointKind::access ? "awatch"
                                                             : "watch";
        return fmt::format("T05{}:{:x};{}", what, stop.address, thread);
    }
    case StopEvent::Kind::syscall_entry:
        return fmt::format("T05syscall_entry:{:x};{}", stop.number, thread);
    case StopEvent::Kind::syscall_return:
        return fmt::format("T05syscall_return:{:x};{}", stop.number, thread);
    case StopEvent::Kind::history_begin:
        return fmt::format("T05replaylog:begin;{}", thread);
    case StopEvent::Kind::trap:
        break;
    }
    return fmt::format("T05{}", thread);
}

std::optional<ThreadId> Stub::parse_thread(std::string_view text) {
    // p<pid>.<lwp>, p<pid>, p<pid>.-1, -1, 0: the last ones mean "any".
    ThreadId current = target_.current_thread();
    if (text == "-1" || text == "0" || text.empty())
        return current;
    if (text.front() != 'p')
        return std::nullopt;
    text.remove_prefix(1);
    auto parts = split(text, '.');
    ThreadId id = current;
    if (parts[0] != "-1" && parts[0] != "0") {
        auto pid = parse_hex_number(parts[0]);
        if (!pid)
            return std::nullopt;
        id.pid = static_cast<int>(*pid);
    }
    if (parts.size() > 1 && parts[1] != "-1" && parts[1] != "0") {
        auto lwp = parse_hex_number(parts[1]);
        if (!lwp)
            return std::nullopt;
        id.lwp = static_cast<int>(*lwp);
    } else if (id.pid != current.pid) {
        for (const ThreadInfo& info : target_.threads()) {
            if (info.id.pid == id.pid) {
                id.lwp = info.id.lwp;
                break;
            }
        }
    }
    return id;
}

ThreadId Stub::general_thread() {
    if (general_) {
        for (const ThreadInfo& info : target_.threads()) {
            if (info.id == *general_)
                return *general_;
        }
    }
    return target_.current_thread();
}

std::string Stub::registers() {
    ThreadId thread = general_thread();
    std::string text;
    for (const RegisterInfo* reg : by_number(target_.description())) {
        auto bytes = target_.read_register(thread, *reg);
        if (bytes)
            text += to_hex(*bytes);
        else
            text += std::string(static_cast<std::size_t>(reg->bits / 4), 'x');
    }
    return text;
}

std::string Stub::write_registers(std::string_view hex) {
    auto bytes = from_hex(hex);
    if (!bytes)
        return error_reply(1);
    ThreadId thread = general_thread();
    std::size_t offset = 0;
    for (const RegisterInfo* reg : by_number(target_.description())) {
        std::size_t size = static_cast<std::size_t>(reg->bits / 8);
        if (offset + size > bytes->size())
            break;
        if (!target_.write_register(thread, *reg, std::string_view(*bytes).substr(offset, size)))
            return error_reply(2);
        offset += size;
    }
    return "OK";
}

std::string Stub::point(std::string_view packet, bool insert) {
    auto fields = split(packet.substr(1), ',');
    if (fields.size() < 3)
        return error_reply(1);
    auto type = parse_hex_number(fields[0]);
    auto address = parse_hex_number(fields[1]);
    auto kind = parse_hex_number(split(fields[2], ';')[0]);
    if (!type || !address || !kind || *type > 4)
        return error_reply(1);
    auto point_kind = static_cast<PointKind>(*type);
    bool done = insert ? target_.insert_point(point_kind, *address, *kind)
                       : target_.remove_point(point_kind, *address, *kind);
    if (!done)
        return ""; // not supported: gdb falls back (or says so)
    return "OK";
}

std::string Stub::transfer(std::string_view annex, std::string_view range,
                           const std::string& document) {
    (void)annex;
    auto parts = split(range, ',');
    if (parts.size() != 2)
        return error_reply(1);
    auto offset = parse_hex_number(parts[0]);
    auto length = parse_hex_number(parts[1]);
    if (!offset || !length)
        return error_reply(1);
    if (*offset >= document.size())
        return "l";
    std::string chunk = document.substr(*offset, *length);
    bool last = *offset + chunk.size() >= document.size();
    return (last ? "l" : "m") + chunk;
}

std::string Stub::query(std::string_view packet, std::vector<std::string>& console) {
    if (packet.starts_with("qSupported"))
        return "PacketSize=4000;qXfer:features:read+;qXfer:threads:read+;multiprocess+;"
               "QStartNoAckMode+;ReverseStep+;ReverseContinue+;QCatchSyscalls+;QPassSignals+;"
               "vContSupported+;swbreak+";
    if (packet == "QStartNoAckMode") {
        no_ack_ = true;
        return "OK";
    }
    if (packet.starts_with("qXfer:features:read:")) {
        auto rest = packet.substr(std::string_view("qXfer:features:read:").size());
        auto colon = rest.find(':');
        if (colon == std::string_view::npos || rest.substr(0, colon) != "target.xml")
            return "E00";
        return transfer(rest.substr(0, colon), rest.substr(colon + 1),
                        target_.description().xml(target_.osabi()));
    }
    if (packet.starts_with("qXfer:threads:read::")) {
        std::string document = "<?xml version=\"1.0\"?>\n<threads>\n";
        for (const ThreadInfo& info : target_.threads())
            document += fmt::format("<thread id=\"{}\" name=\"{}\"/>\n", thread_text(info.id),
                                    escape_xml(info.name));
        document += "</threads>\n";
        return transfer("", packet.substr(std::string_view("qXfer:threads:read::").size()),
                        document);
    }
    if (packet == "qAttached" || packet.starts_with("qAttached:"))
        return "1";
    if (packet == "qC")
        return "QC" + thread_text(target_.current_thread());
    if (packet == "qfThreadInfo" || packet == "qsThreadInfo") {
        auto threads = target_.threads();
        if (packet == "qfThreadInfo")
            thread_cursor_ = 0;
        if (thread_cursor_ >= threads.size())
            return "l";
        std::string reply = "m";
        for (; thread_cursor_ < threads.size(); ++thread_cursor_)
            reply += (reply.size() > 1 ? "," : "") + thread_text(threads[thread_cursor_].id);
        return reply;
    }
    if (packet.starts_with("qThreadExtraInfo,")) {
        auto id = parse_thread(packet.substr(std::string_view("qThreadExtraInfo,").size()));
        for (const ThreadInfo& info : target_.threads()) {
            if (id && info.id == *id)
                return to_hex(info.name);
        }
        return error_reply(1);
    }
    if (packet.starts_with("qRcmd,")) {
        auto command = from_hex(packet.substr(6));
        if (!command)
            return error_reply(1);
        std::string output = target_.monitor(*command);
        if (!output.empty() && output.back() != '\n')
            output += '\n';
        if (output.starts_with("error: ")) {
            console.push_back("O" + to_hex(output));
            return error_reply(1);
        }
        console.push_back("O" + to_hex(output));
        return "OK";
    }
    if (packet.starts_with("QCatchSyscalls:")) {
        auto fields = split(packet.substr(std::string_view("QCatchSyscalls:").size()), ';');
        if (fields[0] == "0") {
            target_.catch_syscalls(false, {});
            return "OK";
        }
        if (fields[0] != "1")
            return error_reply(1);
        std::vector<std::uint64_t> numbers;
        for (std::size_t i = 1; i < fields.size(); ++i) {
            auto number = parse_hex_number(fields[i]);
            if (!number)
                return error_reply(1);
            numbers.push_back(*number);
        }
        target_.catch_syscalls(true, std::move(numbers));
        return "OK";
    }
    if (packet.starts_with("QPassSignals:")) {
        std::vector<int> signals;
        for (std::string_view field : split(packet.substr(13), ';')) {
            if (auto number = parse_hex_number(field))
                signals.push_back(static_cast<int>(*number));
        }
        target_.pass_signals(std::move(signals));
        return "OK";
    }
    if (packet == "qSymbol::")
        return "OK";
    return ""; // unknown: the empty reply says so
}

std::string Stub::resume(const Resume& request) {
    if (exited_)
        return "E01";
    Resume resume = request;
    resume.interrupted = interrupted_;
    StopEvent stop = target_.resume(resume);
    resumed_ = true;
    exited_ = stop.kind == StopEvent::Kind::exited || stop.kind == StopEvent::Kind::killed;
    last_stop_ = stop;
    general_.reset();
    continue_.reset();
    return stop_reply(stop);
}

std::string Stub::vcont(std::string_view actions) {
    // vCont;s:p64.1;c : the first action that names a thread wins for it,
    // the others run freely; this stub steps one thread or runs them all.
    Resume resume;
    resume.thread = target_.current_thread();
    bool any = false;
    for (std::string_view action : split(actions, ';')) {
        if (action.empty())
            continue;
        auto colon = action.find(':');
        std::string_view verb = action.substr(0, colon);
        std::optional<ThreadId> thread;
        if (colon != std::string_view::npos) {
            thread = parse_thread(action.substr(colon + 1));
            if (!thread)
                return error_reply(1);
        }
        char what = verb.front();
        if (what == 's' || what == 'S') {
            resume.step = true;
            if (thread)
                resume.thread = *thread;
        } else if (what != 'c' && what != 'C') {
            return ""; // t, r: not supported; gdb uses s and c
        }
        if ((what == 'S' || what == 'C') && verb.size() > 1 && resume.signal_name.empty()) {
            if (auto number = parse_hex_number(verb.substr(1)))
                resume.signal_name = gdb_signal_name(static_cast<int>(*number));
        }
        any = true;
    }
    if (!any)
        return error_reply(1);
    return this->resume(resume);
}

std::string Stub::handle(std::string_view packet, std::vector<std::string>& console) {
    resumed_ = false;
    std::string reply = dispatch(packet, console);
    if (resumed_) {
        // What the run wrote for gdb's console, before its stop reply.
        std::string text = target_.take_console();
        constexpr std::size_t kPiece = 1024;
        for (std::size_t at = 0; at < text.size(); at += kPiece)
            console.push_back("O" + to_hex(std::string_view(text).substr(at, kPiece)));
    }
    return reply;
}

std::string Stub::dispatch(std::string_view packet, std::vector<std::string>& console) {
    if (packet.empty())
        return "";
    char command = packet.front();
    std::string_view rest = packet.substr(1);
    switch (command) {
    case '?':
        if (!last_stop_) {
            StopEvent stop;
            stop.thread = target_.current_thread();
            last_stop_ = stop;
        }
        return stop_reply(*last_stop_);
    case 'g':
        return registers();
    case 'G':
        return write_registers(rest);
    case 'p': {
        auto regnum = parse_hex_number(rest);
        const RegisterInfo* reg =
            regnum ? target_.description().by_regnum(static_cast<int>(*regnum)) : nullptr;
        if (reg == nullptr)
            return error_reply(1);
        auto bytes = target_.read_register(general_thread(), *reg);
        return bytes ? to_hex(*bytes) : std::string(static_cast<std::size_t>(reg->bits / 4), 'x');
    }
    case 'P': {
        auto parts = split(rest, '=');
        auto regnum = parts.size() == 2 ? parse_hex_number(parts[0]) : std::nullopt;
        const RegisterInfo* reg =
            regnum ? target_.description().by_regnum(static_cast<int>(*regnum)) : nullptr;
        auto bytes = parts.size() == 2 ? from_hex(parts[1]) : std::nullopt;
        if (reg == nullptr || !bytes || bytes->size() != static_cast<std::size_t>(reg->bits / 8))
            return error_reply(1);
        return target_.write_register(general_thread(), *reg, *bytes) ? "OK" : error_reply(2);
    }
    case 'm': {
        auto parts = split(rest, ',');
        auto address = parts.size() == 2 ? parse_hex_number(parts[0]) : std::nullopt;
        auto length = parts.size() == 2 ? parse_hex_number(parts[1]) : std::nullopt;
        if (!address || !length || *length > 0x10000)
            return error_reply(1);
        std::string bytes;
        if (!target_.read_memory(general_thread().pid, *address, *length, bytes))
            return error_reply(14); // EFAULT
        return to_hex(bytes);
    }
    case 'M': {
        auto colon = rest.find(':');
        if (colon == std::string_view::npos)
            return error_reply(1);
        auto parts = split(rest.substr(0, colon), ',');
        auto address = parts.size() == 2 ? parse_hex_number(parts[0]) : std::nullopt;
        auto bytes = from_hex(rest.substr(colon + 1));
        if (!address || !bytes)
            return error_reply(1);
        return target_.write_memory(general_thread().pid, *address, *bytes) ? "OK"
                                                                            : error_reply(14);
    }
    case 'H': {
        if (rest.empty())
            return error_reply(1);
        auto thread = parse_thread(rest.substr(1));
        if (!thread)
            return error_reply(1);
        bool any = rest.substr(1) == "0" || rest.substr(1) == "-1";
        std::optional<ThreadId> chosen = any ? std::nullopt : std::optional<ThreadId>(*thread);
        if (rest.front() == 'g')
            general_ = chosen;
        else if (rest.front() == 'c')
            continue_ = chosen;
        return "OK";
    }
    case 'T': {
        auto thread = parse_thread(rest);
        if (!thread)
            return error_reply(1);
        for (const ThreadInfo& info : target_.threads()) {
            if (info.id == *thread)
                return "OK";
        }
        return error_reply(1);
    }
    case 'Z':
    case 'z':
        return point(packet, command == 'Z');
    case 'c':
    case 's': {
        Resume resume;
        resume.step = command == 's';
        resume.thread = continue_.value_or(target_.current_thread());
        return this->resume(resume);
    }
    case 'b':
        if (rest == "c" || rest == "s") {
            Resume resume;
            resume.step = rest == "s";
            resume.backwards = true;
            resume.thread = continue_.value_or(target_.current_thread());
            return this->resume(resume);
        }
        return "";
    case 'k':
        finished_ = true;
        return "OK";
    case 'D':
        finished_ = true;
        detached_ = true;
        return "OK";
    case 'v':
        if (packet == "vCont?")
            return "vCont;c;C;s;S";
        if (packet.starts_with("vCont;"))
            return vcont(packet.substr(6));
        if (packet.starts_with("vKill")) {
            finished_ = true;
            return "OK";
        }
        return "";
    case 'q':
    case 'Q':
        return query(packet, console);
    default:
        return "";
    }
}

} // namespace crossrt::debug
