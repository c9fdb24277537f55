// The kernel on the runtime core's real binaries (from the target
// sub-builds), through `crossrt unicorn-guest` as the backend runs it:
// self-tests, repeatable traces, schedules that depend on the seed, and an
// injected signal landing at the same pc every run. Skipped when the target
// binaries were not built (the harness-only preset).
#include "guest_command.h"
#include "kernel_test_support.h"
#include "scratch_dir.h"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <gtest/gtest.h>
#include <regex>
#include <set>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace {

using crossrt::GuestRequest;
using crossrt::kernel::test::CommandOutput;
using crossrt::kernel::test::run_command;
using crossrt::kernel::test::unicorn_guest_command;
using crossrt::test::read_file;

namespace fs = std::filesystem;

const fs::path build_dir = CROSSRT_TEST_BUILD_DIR;

std::string guest(const GuestRequest& request, const fs::path& binary) {
    return unicorn_guest_command(request, binary) + " 2>&1";
}

GuestRequest traced(const fs::path& trace, std::optional<std::uint64_t> seed = std::nullopt) {
    GuestRequest request;
    request.trace_file = trace.string();
    request.seed = seed;
    return request;
}

fs::path scenario(const std::string& target, const std::string& name) {
    return build_dir / "targets" / target / "scenarios" / name / "fixed";
}

class GuestTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (!fs::exists(build_dir / "targets" / GetParam() / "selftests"))
            GTEST_SKIP() << "target " << GetParam() << " not built";
    }
    // runs of binary with seed 7 that each exit 0, all with one trace.
    void expect_one_trace(const std::string& env, const fs::path& binary, int runs) {
        std::string first;
        for (int i = 0; i < runs; ++i) {
            fs::path trace = trace_dir_ / "same.trace";
            CommandOutput result = run_command(env + guest(traced(trace, 7), binary));
            ASSERT_TRUE(WIFEXITED(result.status) && WEXITSTATUS(result.status) == 0) << result.out;
            std::string text = read_file(trace);
            ASSERT_FALSE(text.empty());
            if (i == 0)
                first = text;
            else
                ASSERT_EQ(text, first) << "run " << i << " differs";
        }
    }
    // Private per test: ctest runs the cases of one target in parallel.
    crossrt::test::ScratchDir scratch_;
    const fs::path& trace_dir_ = scratch_.path();
};

TEST_P(GuestTest, RuntimeSelfTestsPass) {
    int count = 0;
    for (const auto& entry :
         fs::directory_iterator(build_dir / "targets" / GetParam() / "selftests")) {
        if (!entry.is_regular_file() ||
            (entry.status().permissions() & fs::perms::owner_exec) == fs::perms::none)
            continue;
        CommandOutput result = run_command(guest({}, entry.path()));
        EXPECT_TRUE(WIFEXITED(result.status) && WEXITSTATUS(result.status) == 0)
            << entry.path() << ":\n"
            << result.out;
        ++count;
    }
    EXPECT_GE(count, 7);
}

TEST_P(GuestTest, SameSeedSameTraceOtherSeedsOtherSchedules) {
    fs::path binary = scenario(GetParam(), "foreign-thread-callback-adopt");
    ASSERT_TRUE(fs::exists(binary));
    std::string env = "CROSSRT_CGO_CALLBACK=adopt env -i CROSSRT_CGO_CALLBACK=adopt ";
    expect_one_trace(env, binary, 50);
    std::set<std::string> schedules;
    for (int seed = 1; seed <= 10; ++seed) {
        fs::path trace = trace_dir_ / "seed.trace";
        CommandOutput result = run_command(env + guest(traced(trace, seed), binary));
        ASSERT_TRUE(WIFEXITED(result.status) && WEXITSTATUS(result.status) == 0) << result.out;
        std::string schedule;
        std::istringstream lines(read_file(trace));
        for (std::string line; std::getline(lines, line);) {
            if (line.find(" run lwp ") != std::string::npos)
                schedule += line + "\n";
        }
        schedules.insert(schedule);
    }
    EXPECT_GE(schedules.size(), 2u);
}

// A Go program reads the x86 time-stamp counter (its cputicks seed the
// scheduler's random choices): the host's TSC made every x86 run differ.
TEST_P(GuestTest, GoProgramSameSeedSameTrace) {
    fs::path binary = scenario(GetParam(), "go-goroutines");
    if (!fs::exists(binary))
        GTEST_SKIP() << "go-goroutines not built for " << GetParam();
    expect_one_trace("env -i ", binary, 10);
}

// Slices end at block boundaries that do not depend on which instructions
// are hooked: counting by block and counting every instruction give one
// trace for one seed.
TEST_P(GuestTest, BlockCountingSchedulesAsEveryInstructionCounting) {
    std::vector<fs::path> binaries = {scenario(GetParam(), "lwp-park-race"),
                                      scenario(GetParam(), "go-goroutines")};
    for (const fs::path& binary : binaries) {
        if (!fs::exists(binary))
            continue;
        std::string traces[2];
        for (int every = 0; every < 2; ++every) {
            fs::path trace = trace_dir_ / "mode.trace";
            GuestRequest request = traced(trace, 11);
            request.every_instruction = every == 1;
            CommandOutput result = run_command("env -i " + guest(request, binary));
            ASSERT_TRUE(WIFEXITED(result.status) && WEXITSTATUS(result.status) == 0)
                << binary << ":\n"
                << result.out;
            traces[every] = read_file(trace);
        }
        ASSERT_FALSE(traces[0].empty());
        EXPECT_EQ(traces[0], traces[1]) << binary;
    }
}

// A sweep boots once and forks per seed (kernel/fork_sweep.h): each fork
// must be the run that seed alone gives, trace byte for byte, and report in
// seed order however the forks interleave.
TEST_P(GuestTest, SweepForksRunAsSingleRunsOfTheirSeeds) {
    fs::path binary = scenario(GetParam(), "go-goroutines");
    if (!fs::exists(binary))
        binary = scenario(GetParam(), "gobuf-startcall");
    ASSERT_TRUE(fs::exists(binary));
    fs::path trace = trace_dir_ / "sweep.trace";
    GuestRequest request = traced(trace);
    request.sweep = GuestRequest::Sweep{};
    request.sweep->first = 5;
    request.sweep->count = 4;
    request.sweep->parallel = 2;
    request.report_fd = 1; // the seed reports on stdout
    CommandOutput swept = run_command("env -i " + unicorn_guest_command(request, binary));
    ASSERT_TRUE(WIFEXITED(swept.status) && WEXITSTATUS(swept.status) == 0) << swept.out;
    std::istringstream lines(swept.out);
    std::uint64_t expected_seed = 5;
    for (std::string line; std::getline(lines, line);) {
        std::string why;
        auto report = crossrt::decode_seed_report(line, why);
        ASSERT_TRUE(report) << why << ": " << line;
        EXPECT_EQ(report->seed, expected_seed);
        crossrt::Outcome outcome = crossrt::seed_outcome(*report);
        EXPECT_EQ(outcome.end, crossrt::EndKind::exited) << outcome.detail;
        EXPECT_EQ(outcome.status, 0);
        EXPECT_FALSE(outcome.out.empty());
        fs::path alone = trace_dir_ / "alone.trace";
        CommandOutput single = run_command("env -i " + guest(traced(alone, report->seed), binary));
        ASSERT_TRUE(WIFEXITED(single.status) && WEXITSTATUS(single.status) == 0) << single.out;
        EXPECT_EQ(read_file(crossrt::sweep_trace_file(trace.string(), report->seed)),
                  read_file(alone))
            << "seed " << report->seed;
        // The guest's output is the single run's too.
        EXPECT_NE(single.out.find(outcome.out), std::string::npos) << outcome.out;
        ++expected_seed;
    }
    EXPECT_EQ(expected_seed, 9u);
}

TEST_P(GuestTest, InjectedSignalLandsAtTheSamePcEveryRun) {
    fs::path binary = scenario(GetParam(), "gobuf-startcall");
    ASSERT_TRUE(fs::exists(binary));
    std::set<std::string> landings;
    for (int i = 0; i < 5; ++i) {
        fs::path trace = trace_dir_ / "inject.trace";
        GuestRequest request = traced(trace);
        request.inject = {*crossrt::parse_injection("SIGUSR1@5000")};
        CommandOutput result = run_command("env -i " + guest(request, binary));
        // No handler: SIGUSR1's default action ends the guest by that signal.
        ASSERT_TRUE(WIFSIGNALED(result.status) ||
                    (WIFEXITED(result.status) && WEXITSTATUS(result.status) == 128 + 10))
            << result.out;
        std::smatch match;
        std::string text = read_file(trace);
        ASSERT_TRUE(std::regex_search(
            text, match, std::regex(R"(\s+(\d+) inject SIGUSR1 -> lwp 1 at pc (0x[0-9a-f]+))")))
            << text;
        EXPECT_EQ(match[1].str(), "5000");
        landings.insert(match[2].str());
    }
    EXPECT_EQ(landings.size(), 1u);
}

// The kernel presents the CPUs asked for (default 4): a Go program's
// NumCPU and GOMAXPROCS follow them, on Linux and NetBSD.
TEST_P(GuestTest, TheKernelPresentsTheCpusAskedFor) {
    for (std::string target :
         {GetParam(), GetParam().substr(0, GetParam().find('-')) + "-netbsd"}) {
        fs::path binary = scenario(target, "go-cpus");
        if (!fs::exists(binary))
            continue;
        for (std::optional<int> cpus :
             {std::optional<int>{}, std::optional<int>{1}, std::optional<int>{6}}) {
            GuestRequest request;
            request.cpus = cpus;
            CommandOutput result = run_command("env -i " + guest(request, binary));
            ASSERT_TRUE(WIFEXITED(result.status) && WEXITSTATUS(result.status) == 0)
                << target << ":\n"
                << result.out;
            EXPECT_NE(result.out.find(fmt::format("NumCPU {}\n", cpus.value_or(4))),
                      std::string::npos)
                << target << ":\n"
                << result.out;
            EXPECT_NE(result.out.find("GOMAXPROCS equals NumCPU: true"), std::string::npos);
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Targets, GuestTest,
                         ::testing::Values("amd64-linux", "386-linux", "arm-linux"),
                         [](const auto& param) {
                             std::string name = param.param;
                             name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
                             return name;
                         });

} // namespace
