// What `crossrt run` prints while it works, then a summary:
//  - normal, on a terminal: one live status line (cells done of the total,
//    failures so far, elapsed and estimated time left, the running cells),
//    with the line of each failing cell printed above it;
//  - normal, not a terminal: one plain line per finished cell;
//  - quiet: the failing cells' lines only, no status line;
//  - verbose: every cell's line, each followed by its emulator, seed and
//    the command that repeats it (and the status line on a terminal).
#pragma once

#include "report/result.h"
#include "report/status_line.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace crossrt {

// "PASS  name  (0.12s)", "FAIL  name  (0.30s): detail", "SKIP  name: reason", ...
std::string plain_result_line(const CellResult& result);

enum class ConsoleMode { normal, quiet, verbose };

// "1:05" (minutes:seconds), "1:02:05" past an hour.
std::string clock_time(double seconds);

class ConsoleReporter {
public:
    // live: keep a status line (stdout is a terminal; never in quiet mode).
    ConsoleReporter(std::FILE* out, bool live, std::size_t total,
                    ConsoleMode mode = ConsoleMode::normal);
    ~ConsoleReporter();
    ConsoleReporter(const ConsoleReporter&) = delete;
    ConsoleReporter& operator=(const ConsoleReporter&) = delete;

    // Each job's expected seconds (scenario/shard.h's expected_costs), by
    // the name the results carry: the time left is estimated from them.
    // Without them, from the count of cells left.
    void set_expected_costs(std::map<std::string, double> costs);

    // Thread-safe; called by the workers.
    void started(const std::string& name);
    void finished(const CellResult& result);

    // Clears the status line and prints the summary and the failing cells.
    void summary(const std::vector<CellResult>& results);

    // The status line as it would be drawn now, or after elapsed_s (for
    // its test).
    std::string status_text(std::optional<double> elapsed_s = std::nullopt);

private:
    std::string status_text_locked(std::optional<double> elapsed_s = std::nullopt) const;
    void stop_ticker();

    std::FILE* out_;
    bool live_;
    std::size_t total_;
    ConsoleMode mode_;
    StatusLine status_;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    std::size_t done_ = 0, failed_ = 0;
    std::map<std::string, double> costs_;
    double total_cost_ = 0, done_cost_ = 0;
    std::vector<std::string> running_;
    std::mutex mutex_;
    // Redraws the live line every second, so that the clock moves while
    // long cells run.
    std::condition_variable tick_;
    bool stopping_ = false;
    std::thread ticker_;
};

} // namespace crossrt
