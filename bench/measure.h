// The measuring half of the bench, shared by its tables: a guest command
// run as one fresh process and timed from outside (CPU time from wait4, wall
// time), medians and ratios, and the checks that every run printed the same.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

using Clock = std::chrono::steady_clock;

[[noreturn]] void die(const std::string& msg);
std::vector<std::string> split(std::string_view s, char sep);

struct Sample {
    double cpu = 0, wall = 0;
    int status = 0;
    std::string out;  // guest stdout without "@@" lines
    std::string info; // the "@@" line, if any
};

// argv as a fresh process (stdout captured, stderr passed through).
Sample run_process(const std::vector<std::string>& argv,
                   const std::vector<std::string>& extra_env = {});

struct Stats {
    double median = 0, min = 0, max = 0;
    size_t n = 0;
};
Stats stats(std::vector<double> v);

// The runs of one command: times, and whether every run exited 0 with the
// same output.
struct Series {
    std::vector<double> cpu, wall;
    std::string out;
    bool ok = true;
    int bad_status = 0;
    std::string info;
};

std::string fmt_stats(const Stats& s);
std::string fmt_series(const Series& s, const Stats& st);
std::string fmt_ratio(const Stats& a, const Stats& b);

// One more run of argv into series.
void sample_into(Series& series, const std::vector<std::string>& argv,
                 const std::vector<std::string>& env = {});

} // namespace bench
