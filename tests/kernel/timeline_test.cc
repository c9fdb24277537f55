// The timeline (kernel/timeline.h, trace_events.h): Chrome trace-event JSON
// that a trace viewer's importer accepts (trace_event_check.h), with the
// LWPs' state spans, syscalls, scheduling decisions, injections and
// signals; the same bytes for the same seed; a hostile run cut at the cap
// with a note; and the files `crossrt exec --timeline` and `crossrt run
// --timeline` write. The programs are lwp-park-race and
// signal-at-instruction (fixed) for arm-netbsd from the build tree.
#include "base/injection.h"
#include "kernel/kernel.h"
#include "kernel/trace_events.h"
#include "kernel_test_support.h"
#include "scratch_dir.h"
#include "trace_event_check.h"

#include <filesystem>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <map>
#include <set>

namespace crossrt::kernel {
namespace {

using crossrt::test::read_file;
using nlohmann::json;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

std::string problems_text(const json& document) {
    std::string text;
    for (const std::string& problem : test::trace_event_problems(document))
        text += problem + "\n";
    return text;
}

TEST(TraceEventWriter, TheCapCutsTheFileAndSaysSo) {
    crossrt::test::ScratchDir scratch;
    fs::path path = scratch.path() / "cut.json";
    {
        TraceEventWriter writer(5);
        ASSERT_TRUE(writer.open(path.string()));
        writer.process_name(100, "prog (pid 100)");
        writer.thread_name(100, 100, "lwp 1", 1); // two events: the name and the sort index
        for (u64 k = 0; k < 10; ++k)
            writer.complete(100, 100, "running", k * 1000, k * 1000 + 500);
        EXPECT_TRUE(writer.cut());
        EXPECT_EQ(writer.events(), 6u); // the cap, then the note
    }                                   // the destructor ends the document
    json document = json::parse(read_file(path));
    EXPECT_EQ(problems_text(document), "");
    const auto& events = document["traceEvents"];
    ASSERT_EQ(events.size(), 6u);
    EXPECT_EQ(events[5]["name"], "timeline cut");
    EXPECT_THAT(events[5]["args"]["reason"].get<std::string>(), HasSubstr("cap of 5 events"));
    EXPECT_EQ(test::event_ns(events[5]), 2000); // where the first refused event was
}

TEST(TraceEventWriter, NamesFromTheGuestAreEscapedJson) {
    crossrt::test::ScratchDir scratch;
    fs::path path = scratch.path() / "names.json";
    TraceEventWriter writer;
    ASSERT_TRUE(writer.open(path.string()));
    writer.process_name(100, "a\"b\\c\n\xff</script>");
    writer.thread_name(100, 100, "lwp 1", 1);
    writer.instant(100, 100, "x", 1234567, {{"pc", std::string("0x10")}, {"n", u64{7}}});
    writer.finish();
    json document = json::parse(read_file(path)); // throws on bad JSON
    EXPECT_EQ(problems_text(document), "");
    EXPECT_EQ(document["traceEvents"][0]["args"]["name"], "a\"b\\c\n\xef\xbf\xbd</script>");
    EXPECT_EQ(document["traceEvents"][3]["ts"].get<double>(), 1234.567);
    EXPECT_EQ(document["traceEvents"][3]["args"]["n"], 7);
}

fs::path scenario_binary(const std::string& target, const std::string& scenario) {
    return fs::path(CROSSRT_TEST_BUILD_DIR) / "targets" / target / "scenarios" / scenario / "fixed";
}

class TimelineRunTest : public ::testing::Test {
protected:
    struct Run {
        RunEnd end;
        std::vector<Decision> decisions;
        std::string timeline;
    };

    Run run(const std::string& scenario, u64 seed, std::vector<Injection> injections = {}) {
        fs::path binary = scenario_binary("arm-netbsd", scenario);
        Run result;
        ElfRead read = read_elf(binary.string());
        if (!read.image) {
            ADD_FAILURE() << read.error;
            return result;
        }
        KernelOptions options;
        options.seed = seed;
        options.record_schedule = true;
        options.injections = std::move(injections);
        options.timeline_path = (scratch_.path() / ("run" + std::to_string(runs_++))).string();
        options.argv = {scenario};
        Kernel kernel(options);
        std::string error;
        if (!kernel.boot(*read.image, error)) {
            ADD_FAILURE() << error;
            return result;
        }
        result.end = kernel.run();
        result.decisions = kernel.decisions();
        result.timeline = read_file(options.timeline_path);
        return result;
    }

    static bool built(const std::string& scenario) {
        return fs::exists(scenario_binary("arm-netbsd", scenario));
    }

    crossrt::test::ScratchDir scratch_;
    int runs_ = 0;
};

TEST_F(TimelineRunTest, ARunIsTraceEventJsonWithEveryLwpsStates) {
    if (!built("lwp-park-race"))
        GTEST_SKIP() << "lwp-park-race is not built for arm-netbsd";
    Run recorded = run("lwp-park-race", 7);
    ASSERT_EQ(recorded.end.kind, EndKind::exited) << recorded.end.detail;
    json document = json::parse(recorded.timeline);
    ASSERT_EQ(problems_text(document), "");

    std::map<std::string, int> names;
    std::set<std::pair<int, int>> tracks;
    // The state spans of each track follow one another, never overlapping.
    std::map<std::pair<int, int>, std::vector<std::pair<std::int64_t, std::int64_t>>> states;
    for (const json& event : document["traceEvents"]) {
        std::string name = event["name"];
        ++names[name];
        if (event["ph"] == "M")
            continue;
        std::pair<int, int> track{event["pid"], event["tid"]};
        tracks.insert(track);
        if (event["ph"] == "X" &&
            (name == "running" || name == "runnable" || name.starts_with("blocked: "))) {
            std::int64_t begin = test::event_ns(event);
            states[track].push_back({begin, begin + test::event_ns(event, "dur")});
        }
    }
    for (auto& [track, spans] : states) {
        std::sort(spans.begin(), spans.end());
        for (std::size_t k = 1; k < spans.size(); ++k)
            EXPECT_GE(spans[k].first, spans[k - 1].second)
                << "track " << track.second << ": state spans overlap";
    }
    EXPECT_GT(tracks.size(), 1u) << "lwp-park-race runs several LWPs";
    EXPECT_GT(names["running"], 10);
    EXPECT_GT(names["runnable"], 10);
    EXPECT_GT(names["blocked: lwp_park"], 0);
    EXPECT_GT(names["syscall ___lwp_park60"], 0);
    EXPECT_GT(names["syscall _lwp_unpark"], 0);
    EXPECT_EQ(names["timeline cut"], 0);
    // One "scheduled" instant per scheduling decision, each with its slice.
    EXPECT_EQ(static_cast<std::size_t>(names["scheduled"]), recorded.decisions.size());
    EXPECT_EQ(names["process_name"], 1);
}

TEST_F(TimelineRunTest, TheSameSeedWritesTheSameBytes) {
    if (!built("lwp-park-race"))
        GTEST_SKIP() << "lwp-park-race is not built for arm-netbsd";
    Run first = run("lwp-park-race", 7);
    Run again = run("lwp-park-race", 7);
    Run other = run("lwp-park-race", 8);
    ASSERT_FALSE(first.timeline.empty());
    EXPECT_TRUE(first.timeline == again.timeline) << "seed 7 wrote two different timelines";
    EXPECT_FALSE(first.timeline == other.timeline) << "seeds 7 and 8 wrote the same timeline";
}

TEST_F(TimelineRunTest, InjectionsAndSignalsAreInstantsOnTheirLwp) {
    if (!built("signal-at-instruction"))
        GTEST_SKIP() << "signal-at-instruction is not built for arm-netbsd";
    std::optional<Injection> sigusr1 = parse_injection("SIGUSR1@2000000");
    ASSERT_TRUE(sigusr1);
    Run run_with_signal = run("signal-at-instruction", 7, {*sigusr1});
    ASSERT_EQ(run_with_signal.end.kind, EndKind::exited) << run_with_signal.end.detail;
    json document = json::parse(run_with_signal.timeline);
    ASSERT_EQ(problems_text(document), "");
    std::optional<json> injected, delivered;
    for (const json& event : document["traceEvents"]) {
        if (event["name"] == "inject SIGUSR1")
            injected = event;
        if (event["name"] == "signal SIGUSR1")
            delivered = event;
    }
    ASSERT_TRUE(injected) << "no injection instant";
    ASSERT_TRUE(delivered) << "no delivery instant";
    EXPECT_EQ(injected->at("ph"), "i");
    EXPECT_EQ(test::event_ns(*injected), 2000000); // the virtual clock: 1 ns per instruction
    EXPECT_EQ(test::event_ns(*delivered), 2000000);
    EXPECT_EQ(injected->at("tid"), delivered->at("tid"));
    EXPECT_TRUE(delivered->at("args").contains("handler"));
}

// Several processes (the process probe forks, waits, signals, execs): a
// named track group per pid, and the waits for children and pipes.
TEST(TimelineProcesses, EachProcessHasItsNamedTracks) {
    fs::path probe = fs::path(CROSSRT_PROBE_DIR) / "process_probe-arm";
    if (!fs::exists(probe))
        GTEST_SKIP() << "no compiler for arm: the process probe is not built";
    ElfRead read = read_elf(probe.string());
    ASSERT_TRUE(read.image) << read.error;
    crossrt::test::ScratchDir scratch;
    KernelOptions options;
    options.timeline_path = (scratch.path() / "processes.json").string();
    options.argv = {probe.string()};
    options.executable = probe.string();
    options.cwd = "/probe";
    Kernel kernel(options);
    std::string error;
    ASSERT_TRUE(kernel.boot(*read.image, error)) << error;
    RunEnd end = kernel.run();
    ASSERT_EQ(end.kind, EndKind::exited) << end.detail;
    json document = json::parse(read_file(options.timeline_path));
    ASSERT_EQ(problems_text(document), ""); // every pid has its process_name
    std::set<int> pids;
    std::map<std::string, int> names;
    for (const json& event : document["traceEvents"]) {
        pids.insert(event["pid"].get<int>());
        ++names[event["name"].get<std::string>()];
    }
    EXPECT_GT(pids.size(), 2u);
    EXPECT_GT(names["blocked: child"], 0);
    EXPECT_GT(names["syscall wait4"], 0);
    EXPECT_GT(names["signal SIGCHLD"], 0);
}

// The commands: `crossrt exec --timeline FILE`, and `crossrt run --timeline
// DIR` with a seed sweep (each seed's fork writes its own file; the one left
// is the settling seed's, and the JSON report names it).
TEST(TimelineCommands, ExecAndRunWriteTimelines) {
    fs::path binary = scenario_binary("arm-netbsd", "lwp-park-race");
    if (!fs::exists(binary))
        GTEST_SKIP() << "lwp-park-race is not built for arm-netbsd";
    crossrt::test::ScratchDir scratch;
    fs::path exec_file = scratch.path() / "exec.json";
    test::CommandOutput exec =
        test::run_command(fmt::format("{} exec --seed 7 --timeline {} -- {} >/dev/null 2>&1",
                                      CROSSRT_TEST_BINARY, exec_file.string(), binary.string()));
    EXPECT_EQ(exec.status, 0);
    json exec_timeline = json::parse(read_file(exec_file));
    EXPECT_EQ(problems_text(exec_timeline), "");

    fs::path dir = scratch.path() / "timelines";
    fs::path report = scratch.path() / "report.json";
    test::CommandOutput run = test::run_command(fmt::format(
        "{} --scenarios {}/scenarios --build-dir {} run --seeds 2 --seed 7 --timeline {} --json "
        "{} lwp-park-race/arm-netbsd/unicorn/fixed >/dev/null 2>&1",
        CROSSRT_TEST_BINARY, CROSSRT_TEST_SOURCE_DIR, CROSSRT_TEST_BUILD_DIR, dir.string(),
        report.string()));
    EXPECT_EQ(run.status, 0);
    fs::path cell_file = dir / "lwp-park-race_arm-netbsd_unicorn_fixed.timeline.json";
    std::vector<std::string> left;
    for (const auto& entry : fs::directory_iterator(dir))
        left.push_back(entry.path().filename().string());
    EXPECT_EQ(left, std::vector<std::string>{cell_file.filename().string()})
        << "the seeds' own files are gone, the settling seed's is left";
    json run_timeline = json::parse(read_file(cell_file));
    EXPECT_EQ(problems_text(run_timeline), "");
    json results = json::parse(read_file(report))["results"];
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0]["timeline"], cell_file.string());
    EXPECT_THAT(results[0]["repeat_command"].get<std::string>(),
                HasSubstr("run lwp-park-race/arm-netbsd/unicorn/fixed --seeds 1 --seed 8"));
    // The seed a sweep leaves is exactly what that seed alone writes.
    fs::path alone = scratch.path() / "alone.json";
    test::run_command(fmt::format("{} exec --seed 8 --timeline {} -- {} >/dev/null 2>&1",
                                  CROSSRT_TEST_BINARY, alone.string(), binary.string()));
    EXPECT_TRUE(read_file(alone) == read_file(cell_file))
        << "the sweep's timeline of seed 8 differs from seed 8's own";
}

} // namespace
} // namespace crossrt::kernel
