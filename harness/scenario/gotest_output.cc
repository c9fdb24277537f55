#include "scenario/gotest_output.h"

#include <algorithm>
#include <array>

namespace crossrt {
namespace {

std::vector<std::string_view> lines_of(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        std::size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        lines.push_back(line);
        if (end == std::string_view::npos)
            break;
        text.remove_prefix(end + 1);
    }
    return lines;
}

bool is_top_level(std::string_view name) {
    return !name.empty() && name.find('/') == std::string_view::npos;
}

// "--- PASS: TestX (0.01s)" anywhere in the line: the name and its status.
bool read_result(std::string_view line, std::string& name, GoTestStatus& status) {
    static constexpr std::array<std::pair<std::string_view, GoTestStatus>, 3> markers = {{
        {"--- PASS: ", GoTestStatus::pass},
        {"--- FAIL: ", GoTestStatus::fail},
        {"--- SKIP: ", GoTestStatus::skip},
    }};
    for (const auto& [marker, marker_status] : markers) {
        std::size_t at = line.find(marker);
        if (at == std::string_view::npos)
            continue;
        std::string_view rest = line.substr(at + marker.size());
        std::size_t end = rest.find(" (");
        name = std::string(rest.substr(0, end));
        status = marker_status;
        return !name.empty();
    }
    return false;
}

// "=== RUN   TestX" (or CONT, which resumes a parallel test).
bool read_start(std::string_view line, std::string& name) {
    for (std::string_view marker : {"=== RUN   ", "=== CONT  "}) {
        if (line.starts_with(marker)) {
            name = std::string(line.substr(marker.size()));
            return !name.empty();
        }
    }
    return false;
}

bool is_crash_line(std::string_view line) {
    for (std::string_view start : {"panic: ", "fatal error: ", "unexpected fault address ",
                                   "SIGSEGV: ", "SIGBUS: ", "SIGILL: ", "runtime: "}) {
        if (line.starts_with(start))
            return true;
    }
    return false;
}

} // namespace

std::string_view gotest_status_name(GoTestStatus status) {
    switch (status) {
    case GoTestStatus::pass:
        return "pass";
    case GoTestStatus::fail:
        return "fail";
    case GoTestStatus::skip:
        return "skip";
    }
    return "fail";
}

std::size_t GoTestRun::count(GoTestStatus status) const {
    return static_cast<std::size_t>(
        std::count_if(tests.begin(), tests.end(),
                      [status](const auto& entry) { return entry.second == status; }));
}

GoTestRun parse_gotest_output(std::string_view out, std::string_view err) {
    GoTestRun run;
    std::vector<std::string> started;
    for (std::string_view line : lines_of(out)) {
        std::string name;
        GoTestStatus status{};
        if (read_start(line, name)) {
            if (is_top_level(name) &&
                std::find(started.begin(), started.end(), name) == started.end())
                started.push_back(name);
        } else if (read_result(line, name, status)) {
            if (is_top_level(name))
                run.tests[name] = status;
        } else if (line == "PASS" || line == "FAIL") {
            run.summary = std::string(line);
        } else if (run.crash.empty() && is_crash_line(line)) {
            run.crash = std::string(line);
        }
        if (!line.empty() && !line.starts_with("=== ") && !line.starts_with("--- ") &&
            line != "PASS" && line != "FAIL")
            run.last_words = std::string(line);
    }
    std::string last_err;
    for (std::string_view line : lines_of(err)) {
        if (run.crash.empty() && is_crash_line(line))
            run.crash = std::string(line);
        if (!line.empty())
            last_err = std::string(line);
    }
    if (!last_err.empty())
        run.last_words = last_err;
    for (const std::string& name : started) {
        if (!run.tests.contains(name))
            run.unfinished.push_back(name);
    }
    return run;
}

} // namespace crossrt
