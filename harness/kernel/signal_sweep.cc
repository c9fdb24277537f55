#include "kernel/signal_sweep.h"

#include "base/end_kind.h"
#include "base/signals.h"

#include <algorithm>
#include <fmt/format.h>
#include <set>
#include <sstream>
#include <unistd.h>

namespace crossrt::kernel {
namespace {

void write_line(int fd, const std::string& line) {
    std::size_t done = 0;
    while (done < line.size()) {
        ssize_t n = write(fd, line.data() + done, line.size() - done);
        if (n <= 0)
            return;
        done += static_cast<std::size_t>(n);
    }
}

std::string describe(const RunEnd& end) {
    std::string text = end.kind == EndKind::exited     ? fmt::format("exit {}", end.status)
                       : end.kind == EndKind::signaled ? signal_name(end.status)
                                                       : std::string(end_kind_name(end.kind));
    return end.detail.empty() ? text : fmt::format("{}: {}", text, end.detail);
}

constexpr const char* kAllRan = "every instruction of the region ran";

// In the fork: the run, each new point as "point ADDR COUNT LWP PID" on
// side_fd as it is found (a timeout keeps what was found), then "end TEXT".
int run_discovery(Kernel& booted, const CodeRegion& region, int side_fd) {
    std::set<u64> wanted;
    for (const RegionInstruction& instruction : region.instructions)
        wanted.insert(instruction.address);
    std::set<u64> seen;
    booted.watch_code([&](u64 pc, u64 count) {
        if (pc < region.begin || pc >= region.end || !seen.insert(pc).second)
            return;
        Lwp& lwp = booted.current();
        write_line(side_fd,
                   fmt::format("point {} {} {} {}\n", pc, count, lwp.ordinal, lwp.process->pid()));
        wanted.erase(pc);
        if (wanted.empty())
            booted.end_run(EndKind::error, 0, kAllRan);
    });
    RunEnd end = booted.run();
    write_line(side_fd, fmt::format("end {}\n", end.detail == kAllRan ? kAllRan : describe(end)));
    return 0;
}

} // namespace

std::optional<PointDiscovery> discover_signal_points(Kernel& booted, const CodeRegion& region,
                                                     const ForkSweepOptions& options,
                                                     std::string& error) {
    std::optional<ForkedRun> finished;
    bool forked = fork_each(
        {0}, options,
        [&](u64, int side_fd) {
            try {
                return run_discovery(booted, region, side_fd);
            } catch (const std::exception& failure) {
                write_line(side_fd, fmt::format("end the emulator failed: {}\n", failure.what()));
                return 125;
            }
        },
        [&](ForkedRun run) {
            finished = std::move(run);
            return true;
        },
        error);
    if (!forked || !finished)
        return std::nullopt;
    PointDiscovery found;
    std::istringstream lines(finished->side);
    std::string word;
    while (lines >> word) {
        if (word == "point") {
            SignalPoint point;
            lines >> point.address >> point.count >> point.lwp >> point.pid;
            found.points.push_back(point);
        } else if (word == "end") {
            lines >> std::ws;
            std::getline(lines, found.ended);
        } else {
            std::getline(lines, word);
        }
    }
    if (finished->timed_out)
        found.ended = fmt::format("timed out after {:.1f}s", finished->duration_s);
    else if (found.ended.empty())
        found.ended = fmt::format("the run ended without saying how (wait status {:#x})",
                                  finished->wait_status);
    std::sort(found.points.begin(), found.points.end(),
              [](const SignalPoint& a, const SignalPoint& b) { return a.address < b.address; });
    return found;
}

} // namespace crossrt::kernel
