#include "report/console.h"

#include <algorithm>
#include <fmt/format.h>

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

std::string clock_time(double seconds) {
    auto whole = static_cast<long long>(seconds < 0 ? 0 : seconds + 0.5);
    if (whole >= 3600)
        return fmt::format("{}:{:02}:{:02}", whole / 3600, whole / 60 % 60, whole % 60);
    return fmt::format("{}:{:02}", whole / 60, whole % 60);
}

ConsoleReporter::ConsoleReporter(std::FILE* out, bool live, std::size_t total, ConsoleMode mode)
    : out_(out), live_(live && mode != ConsoleMode::quiet), total_(total), mode_(mode),
      status_(out) {
    if (!live_)
        return;
    ticker_ = std::thread([this] {
        std::unique_lock lock(mutex_);
        while (!tick_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; }))
            status_.show(status_text_locked());
    });
}

ConsoleReporter::~ConsoleReporter() {
    stop_ticker();
}

void ConsoleReporter::stop_ticker() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    tick_.notify_all();
    if (ticker_.joinable())
        ticker_.join();
}

void ConsoleReporter::set_expected_costs(std::map<std::string, double> costs) {
    std::lock_guard lock(mutex_);
    costs_ = std::move(costs);
    total_cost_ = 0;
    for (const auto& [name, cost] : costs_)
        total_cost_ += cost;
}

void ConsoleReporter::started(const std::string& name) {
    std::lock_guard lock(mutex_);
    running_.push_back(name);
    if (live_)
        status_.show(status_text_locked());
}

void ConsoleReporter::finished(const CellResult& result) {
    std::lock_guard lock(mutex_);
    ++done_;
    if (is_failure(result.verdict))
        ++failed_;
    auto cost = costs_.find(result.name());
    if (cost != costs_.end())
        done_cost_ += cost->second;
    auto running = std::find(running_.begin(), running_.end(), result.name());
    if (running != running_.end())
        running_.erase(running);
    // A signal sweep's table is the cell's result, pass or fail.
    bool print = mode_ == ConsoleMode::verbose || is_failure(result.verdict) ||
                 (mode_ == ConsoleMode::normal && (!live_ || !result.sweep_table.empty()));
    if (print) {
        status_.clear();
        fmt::print(out_, "{}\n{}", plain_result_line(result), result.sweep_table);
        if (mode_ == ConsoleMode::verbose) {
            std::string about;
            if (!result.emulator.empty())
                about += fmt::format("emulator {}; ", result.emulator);
            if (result.seeded)
                about += result.seed ? fmt::format("seed {}; ", *result.seed) : "default seed; ";
            if (!result.repeat_command.empty())
                about += fmt::format("repeat: {}", result.repeat_command);
            if (!about.empty())
                fmt::print(out_, "    {}\n", about);
        }
    }
    if (live_)
        status_.show(status_text_locked());
    std::fflush(out_);
}

std::string ConsoleReporter::status_text(std::optional<double> elapsed_s) {
    std::lock_guard lock(mutex_);
    return status_text_locked(elapsed_s);
}

std::string ConsoleReporter::status_text_locked(std::optional<double> elapsed_s) const {
    double elapsed = elapsed_s.value_or(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
    std::string line =
        fmt::format("[{}/{}] {} failed | {} elapsed", done_, total_, failed_, clock_time(elapsed));
    // The time left: the elapsed time scaled by the expected cost left
    // against the expected cost done; by cells when no costs are known.
    double left = -1;
    if (total_cost_ > 0 && done_cost_ > 0)
        left = elapsed * (total_cost_ - done_cost_) / done_cost_;
    else if (total_cost_ <= 0 && done_ > 0)
        left = elapsed * static_cast<double>(total_ - done_) / static_cast<double>(done_);
    if (done_ == total_)
        left = 0;
    if (left >= 0)
        line += fmt::format(", ~{} left", clock_time(left));
    if (!running_.empty())
        line += fmt::format(" | running: {}", fmt::join(running_, ", "));
    return line;
}

void ConsoleReporter::summary(const std::vector<CellResult>& results) {
    stop_ticker();
    std::lock_guard lock(mutex_);
    status_.clear();
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
