#include "report/console.h"

#include <algorithm>
#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace crossrt {
namespace {

std::string label(Verdict verdict) {
    switch (verdict) {
    case Verdict::pass:
        return "PASS";
    case Verdict::fail:
        return "FAIL";
    case Verdict::skip:
        return "SKIP";
    case Verdict::timeout:
        return "TIMEOUT";
    case Verdict::budget:
        return "BUDGET";
    case Verdict::memory:
        return "MEMORY";
    case Verdict::error:
        return "ERROR";
    case Verdict::xfail:
        return "XFAIL";
    case Verdict::xpass:
        return "XPASS";
    }
    return "ERROR";
}

// A result stays on one line, so that logs can be grepped cell by cell.
std::string one_line(const std::string& text) {
    std::string line;
    for (char c : text) {
        if (c == '\n')
            line += "\\n";
        else if (c == '\r')
            line += "\\r";
        else
            line += c;
    }
    return line;
}

std::size_t terminal_width(std::FILE* out) {
    winsize size{};
    if (ioctl(fileno(out), TIOCGWINSZ, &size) == 0 && size.ws_col > 20)
        return size.ws_col;
    return 100;
}

} // namespace

std::string plain_result_line(const CellResult& result) {
    std::string head = fmt::format("{}  {}", label(result.verdict), result.name());
    if (result.verdict == Verdict::skip)
        return fmt::format("{}: {}", head, one_line(result.detail));
    std::string line = fmt::format("{}  ({:.2f}s)", head, result.duration_s);
    if (!result.detail.empty())
        line += ": " + one_line(result.detail);
    return line;
}

ConsoleReporter::ConsoleReporter(std::FILE* out, bool live, std::size_t total)
    : out_(out), live_(live), total_(total) {}

void ConsoleReporter::started(const std::string& name) {
    std::lock_guard lock(mutex_);
    running_.push_back(name);
    if (live_)
        draw_status_line();
}

void ConsoleReporter::finished(const CellResult& result) {
    std::lock_guard lock(mutex_);
    ++done_;
    if (result.verdict == Verdict::pass)
        ++passed_;
    if (is_failure(result.verdict))
        ++failed_;
    auto running = std::find(running_.begin(), running_.end(), result.name());
    if (running != running_.end())
        running_.erase(running);
    // A signal sweep's table is the cell's result, pass or fail.
    if (!live_) {
        fmt::print(out_, "{}\n{}", plain_result_line(result), result.sweep_table);
    } else {
        if (is_failure(result.verdict) || !result.sweep_table.empty()) {
            clear_status_line();
            fmt::print(out_, "{}\n{}", plain_result_line(result), result.sweep_table);
        }
        draw_status_line();
    }
    std::fflush(out_);
}

void ConsoleReporter::draw_status_line() {
    std::string line = fmt::format("[{}/{}] {} passed, {} failed", done_, total_, passed_, failed_);
    if (!running_.empty())
        line += fmt::format(" | running: {}", fmt::join(running_, ", "));
    std::size_t width = terminal_width(out_) - 1;
    if (line.size() > width)
        line = line.substr(0, width - 3) + "...";
    fmt::print(out_, "\r\033[K{}", line);
    std::fflush(out_);
}

void ConsoleReporter::clear_status_line() {
    fmt::print(out_, "\r\033[K");
}

void ConsoleReporter::summary(const std::vector<CellResult>& results) {
    std::lock_guard lock(mutex_);
    if (live_)
        clear_status_line();
    fmt::print(out_, "{}\n", summary_line(tally(results)));
    bool header = false;
    for (const CellResult& result : results) {
        if (!is_failure(result.verdict))
            continue;
        if (!header)
            fmt::print(out_, "failing cells:\n");
        header = true;
        fmt::print(out_, "  {} ({})\n", result.name(), verdict_name(result.verdict));
    }
    std::fflush(out_);
}

} // namespace crossrt
