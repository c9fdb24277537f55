// Kernel::run_until: a run paused at instruction counts and run on from
// there (in this process, or in a fork of it) is the run that never paused,
// trace, output and end byte for byte: the snapshot point that sweeps over
// signal points and explorations start from. On the runtime core's and the
// Go scenarios' real binaries (skipped when the targets were not built).
#include "base/injection.h"
#include "kernel/fork_sweep.h"
#include "kernel/kernel.h"
#include "scratch_dir.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <gtest/gtest.h>
#include <random>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace crossrt::kernel {
namespace {

namespace fs = std::filesystem;
using crossrt::test::read_file;

const fs::path build_dir = CROSSRT_TEST_BUILD_DIR;

struct Observed {
    RunEnd end;
    u64 insns = 0;
    std::string trace;
    std::string out;
    int pauses = 0; // run_until calls that paused
};

class PauseTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (!fs::exists(build_dir / "targets" / GetParam() / "scenarios"))
            GTEST_SKIP() << "target " << GetParam() << " not built";
    }

    fs::path binary(const std::string& scenario) const {
        return build_dir / "targets" / GetParam() / "scenarios" / scenario / "fixed";
    }

    // A booted kernel on the binary, tracing to dir_/name.trace and writing
    // the guest's stdout to dir_/name.out.
    std::unique_ptr<Kernel> boot(const fs::path& path, const std::string& name,
                                 std::vector<Injection> injections = {}) {
        ElfRead read = read_elf(path.string());
        EXPECT_TRUE(read.image) << read.error;
        if (!read.image)
            return nullptr;
        out_fd_ = ::open((dir_ / (name + ".out")).c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        EXPECT_GE(out_fd_, 0);
        KernelOptions options;
        options.seed = 11;
        options.trace_path = (dir_ / (name + ".trace")).string();
        options.argv = {path.filename().string()};
        options.out_fd = out_fd_;
        options.err_fd = out_fd_;
        options.injections = std::move(injections);
        auto kernel = std::make_unique<Kernel>(std::move(options));
        std::string error;
        EXPECT_TRUE(kernel->boot(*read.image, error)) << error;
        return kernel;
    }

    // The run, paused at each of `pauses` (ascending) it reaches and run on.
    Observed run(const fs::path& path, const std::string& name, const std::vector<u64>& pauses,
                 std::vector<Injection> injections = {}) {
        Observed seen;
        {
            std::unique_ptr<Kernel> kernel = boot(path, name, std::move(injections));
            if (!kernel)
                return seen;
            std::optional<RunEnd> end;
            for (u64 at : pauses) {
                end = kernel->run_until(at);
                if (end)
                    break;
                ++seen.pauses;
                EXPECT_GE(kernel->total_insns(), at);
            }
            if (!end)
                end = kernel->run();
            seen.end = *end;
            seen.insns = kernel->total_insns();
        }
        ::close(out_fd_);
        seen.trace = read_file(dir_ / (name + ".trace"));
        seen.out = read_file(dir_ / (name + ".out"));
        return seen;
    }

    static void expect_same(const Observed& paused, const Observed& whole, const std::string& why) {
        EXPECT_EQ(paused.end.kind, whole.end.kind) << why;
        EXPECT_EQ(paused.end.status, whole.end.status) << why;
        EXPECT_EQ(paused.end.detail, whole.end.detail) << why;
        EXPECT_EQ(paused.insns, whole.insns) << why;
        EXPECT_EQ(paused.out, whole.out) << why;
        EXPECT_TRUE(paused.trace == whole.trace) << why << ": the traces differ\n"
                                                 << first_difference(paused.trace, whole.trace);
    }

    // The first line where the traces part, and the line before it.
    static std::string first_difference(const std::string& paused, const std::string& whole) {
        std::istringstream a(paused);
        std::istringstream b(whole);
        std::string before;
        for (std::string x, y;;) {
            bool more_a = static_cast<bool>(std::getline(a, x));
            bool more_b = static_cast<bool>(std::getline(b, y));
            if (!more_a && !more_b)
                return "";
            if (x != y || more_a != more_b)
                return fmt::format("after: {}\npaused: {}\nwhole:  {}", before, x, y);
            before = x;
        }
    }

    crossrt::test::ScratchDir scratch_;
    const fs::path& dir_ = scratch_.path();
    int out_fd_ = -1;
};

// Points spread over the whole run (a seeded draw, so a failure repeats),
// the first few instructions, and the hard ones: where slices reach their
// length but may not end yet (between that count and the next block a jump
// arrives at), from the whole run's trace.
std::vector<u64> pause_points(const Observed& whole, int count) {
    std::mt19937_64 draw(whole.insns);
    std::vector<u64> points = {1, 2, 3};
    for (int i = 0; i < count; ++i)
        points.push_back(1 + draw() % std::max<u64>(whole.insns - 1, 1));
    std::istringstream lines(whole.trace);
    int slices = 0;
    for (std::string line; std::getline(lines, line) && slices < count;) {
        unsigned long long at = 0;
        unsigned lwp = 0;
        unsigned long long length = 0;
        if (std::sscanf(line.c_str(), "%llu run lwp %u for %llu", &at, &lwp, &length) != 3)
            continue;
        for (u64 past : {0, 1, 2, 3, 5, 8})
            points.push_back(at + length + past);
        ++slices;
    }
    std::sort(points.begin(), points.end());
    points.erase(std::unique(points.begin(), points.end()), points.end());
    return points;
}

TEST_P(PauseTest, PausedRunsAreTheRunThatNeverPaused) {
    int tried = 0;
    for (const char* scenario : {"lwp-park-race", "go-goroutines", "go-timers"}) {
        fs::path path = binary(scenario);
        if (!fs::exists(path))
            continue;
        Observed whole = run(path, "whole", {});
        ASSERT_FALSE(whole.trace.empty()) << scenario;
        ASSERT_EQ(whole.end.kind, EndKind::exited) << scenario << ": " << whole.end.detail;
        std::vector<u64> points = pause_points(whole, 40);
        Observed paused = run(path, "paused", points);
        EXPECT_GE(paused.pauses, 30) << scenario;
        expect_same(paused, whole, scenario);
        ++tried;
    }
    EXPECT_GE(tried, 1);
}

// Around an injection: a pause on its instruction, just before and just
// after it must not move where the signal lands. (The signal ends the
// guest, so only the pause before it is reached.)
TEST_P(PauseTest, PausesAroundAnInjectionLeaveItWhereItLands) {
    fs::path path = binary("gobuf-startcall");
    ASSERT_TRUE(fs::exists(path));
    std::vector<Injection> injections = {*parse_injection("SIGUSR1@5000")};
    Observed whole = run(path, "whole", {}, injections);
    ASSERT_NE(whole.trace.find(" inject SIGUSR1 -> lwp 1"), std::string::npos) << whole.trace;
    for (u64 at : {4999u, 5000u, 5001u}) {
        Observed paused = run(path, "paused", {at}, injections);
        EXPECT_EQ(paused.pauses, at < 5000 ? 1 : 0) << at;
        expect_same(paused, whole, fmt::format("paused at {}", at));
    }
    Observed every = run(path, "every", {4998, 4999, 5000, 5001, 5002}, injections);
    expect_same(every, whole, "paused at each of 4998..5002");
}

// Run to the middle once, then the rest in a fork (fork_each, as a sweep
// from a snapshot does): the fork's output and trace complete the parent's
// into the whole run's.
TEST_P(PauseTest, AForkRunsOnFromThePause) {
    fs::path path = binary("go-goroutines");
    if (!fs::exists(path))
        path = binary("lwp-park-race");
    ASSERT_TRUE(fs::exists(path));
    Observed whole = run(path, "whole", {});
    ASSERT_EQ(whole.end.kind, EndKind::exited) << whole.end.detail;

    std::unique_ptr<Kernel> kernel = boot(path, "forked");
    ASSERT_TRUE(kernel);
    ASSERT_FALSE(kernel->run_until(whole.insns / 2));
    std::vector<ForkedRun> runs;
    std::string error;
    ASSERT_TRUE(fork_each(
        {0}, ForkSweepOptions{},
        [&](u64, int side_fd) {
            RunEnd end = kernel->run();
            std::string line = fmt::format("{} {}", static_cast<int>(end.kind), end.status);
            return ::write(side_fd, line.data(), line.size()) == static_cast<ssize_t>(line.size())
                       ? 0
                       : 1;
        },
        [&](ForkedRun forked) {
            runs.push_back(std::move(forked));
            return true;
        },
        error))
        << error;
    kernel.reset();
    ::close(out_fd_);
    ASSERT_EQ(runs.size(), 1u);
    ASSERT_TRUE(WIFEXITED(runs[0].wait_status) && WEXITSTATUS(runs[0].wait_status) == 0)
        << runs[0].err;
    EXPECT_EQ(runs[0].side,
              fmt::format("{} {}", static_cast<int>(whole.end.kind), whole.end.status));
    EXPECT_EQ(read_file(dir_ / "forked.out"), whole.out);
    EXPECT_TRUE(read_file(dir_ / "forked.trace") == whole.trace) << "the traces differ";
}

INSTANTIATE_TEST_SUITE_P(Targets, PauseTest,
                         ::testing::Values("amd64-linux", "386-linux", "arm-linux", "amd64-netbsd",
                                           "386-netbsd", "arm-netbsd"),
                         [](const auto& param) {
                             std::string name = param.param;
                             name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
                             return name;
                         });

} // namespace
} // namespace crossrt::kernel
