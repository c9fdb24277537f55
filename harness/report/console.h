// What `crossrt run` prints while it works: a live status line on a terminal,
// one plain line per finished cell otherwise, then a summary.
#pragma once

#include "report/result.h"

#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

namespace crossrt {

// "PASS  name  (0.12s)", "FAIL  name  (0.30s): detail", "SKIP  name: reason", ...
std::string plain_result_line(const CellResult& result);

class ConsoleReporter {
public:
    // live: redraw a status line in place (stdout is a terminal).
    ConsoleReporter(std::FILE* out, bool live, std::size_t total);

    // Thread-safe; called by the workers.
    void started(const std::string& name);
    void finished(const CellResult& result);

    // Clears the status line and prints the summary and the failing cells.
    void summary(const std::vector<CellResult>& results);

private:
    void draw_status_line();
    void clear_status_line();

    std::FILE* out_;
    bool live_;
    std::size_t total_;
    std::size_t done_ = 0, passed_ = 0, failed_ = 0;
    std::vector<std::string> running_;
    std::mutex mutex_;
};

} // namespace crossrt
