// End-to-end tests of the crossrt executable on scratch scenario and build dirs.
// The "binaries" are shell scripts, which the native amd64 backend runs.
#include "base/sanitizers.h"
#include "report_schema.h"
#include "test_support.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <elf.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sstream>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace crossrt {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct Result {
    int status = -1;
    std::string out;
    std::string err;
};

class Process {
public:
    // stdin_path and run_in, when given: crossrt's stdin and cwd.
    Process(const std::vector<std::string>& args, const std::filesystem::path& dir,
            const std::vector<std::string>& env_extra = {},
            const std::filesystem::path& stdin_path = {}, const std::filesystem::path& run_in = {})
        : out_path_(dir / "stdout"), err_path_(dir / "stderr") {
        pid_ = fork();
        if (pid_ == 0) {
            int out = open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            int err = open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            dup2(out, 1);
            dup2(err, 2);
            if (!stdin_path.empty())
                dup2(open(stdin_path.c_str(), O_RDONLY), 0);
            if (!run_in.empty() && chdir(run_in.c_str()) != 0)
                _exit(126);
            for (const std::string& entry : env_extra)
                putenv(const_cast<char*>(entry.c_str()));
            std::vector<char*> argv;
            argv.push_back(const_cast<char*>(CROSSRT_TEST_BINARY));
            for (const std::string& arg : args)
                argv.push_back(const_cast<char*>(arg.c_str()));
            argv.push_back(nullptr);
            execv(argv[0], argv.data());
            _exit(127);
        }
    }
    void signal(int number) { kill(pid_, number); }
    Result wait() {
        int status = 0;
        waitpid(pid_, &status, 0);
        return {WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status),
                test::read_file(out_path_), test::read_file(err_path_)};
    }

private:
    pid_t pid_;
    std::filesystem::path out_path_, err_path_;
};

class CliTest : public ::testing::Test {
protected:
    std::filesystem::path scenarios() const { return dir.path() / "scenarios"; }
    std::filesystem::path build() const { return dir.path() / "build"; }

    void scenario(const std::string& name, const std::string& manifest) {
        test::write_file(scenarios() / name / "scenario.toml", manifest);
        test::write_file(scenarios() / name / "main.c", "");
    }
    void binary(const std::string& scenario, const std::string& variant,
                const std::string& script) {
        test::write_file(build() / "targets/amd64-linux/scenarios" / scenario / variant,
                         "#!/bin/sh\n" + script + "\n", true);
    }
    Result crossrt(std::vector<std::string> args, const std::vector<std::string>& env = {}) {
        args.insert(args.begin(),
                    {"--scenarios", scenarios().string(), "--build-dir", build().string()});
        return Process(args, dir.path(), env).wait();
    }
    void standard_scenarios() {
        scenario("ok", R"(description = "passes"
sources = ["main.c"]
arch = ["amd64", "arm"]
backends = ["native"]
[expect]
stdout = ["ready", { regex = "n=[0-9]+" }]
[[regress]]
name = "crash"
define = "RT_CRASH"
symptom = "SIGSEGV"
[regress.expect]
signal = "SIGSEGV"
)");
        binary("ok", "fixed", "echo ready n=4");
        binary("ok", "regress-crash", "kill -SEGV $$");
    }

    // "kernel": an amd64 unicorn cell, seed 7, whose binary prints its cwd
    // and exits 3, as the fixed variant expects; with `missed`, also a
    // regression variant that expects exit 0, so fails.
    void unicorn_scenario(bool missed = false) {
        scenario("kernel", std::string(R"(description = "under the unicorn kernel, seeded"
sources = ["main.c"]
arch = ["amd64"]
backends = ["unicorn"]
seed = 7
[expect]
exit = 3
)") + (missed ? "[[regress]]\nname = \"missed\"\ndefine = \"MISSED\"\nsymptom = \"exit 0\"\n"
                "[regress.expect]\nexit = 0\n"
              : ""));
        for (const char* variant : {"fixed", "regress-missed"})
            test::write_file(build() / "targets/amd64-linux/scenarios/kernel" / variant,
                             test::static_executable(EM_X86_64, test::print_cwd_code()), true);
    }

    // Two cells the scenario itself skips: the reports carry skips too.
    void skipped_scenario() {
        scenario("skips", "description = \"d\"\nsources = [\"main.c\"]\narch = [\"amd64\", "
                          "\"386\"]\nbackends = [\"native\"]\n[[skip]]\nreason = \"skipped on "
                          "purpose\"\n");
    }

    test::ScratchDir dir;
};

TEST_F(CliTest, ListPlainJsonAndCtest) {
    standard_scenarios();
    Result plain = crossrt({"list"});
    EXPECT_EQ(plain.status, 0) << plain.err;
    // Native arm runs on no host crossrt runs on: not a cell, only in --all.
    EXPECT_EQ(plain.out, "ok/amd64-linux/native/fixed\n"
                         "ok/amd64-linux/native/regress-crash\n");
    Result all = crossrt({"list", "--all"});
    EXPECT_EQ(all.status, 0) << all.err;
    EXPECT_EQ(all.out, "ok/amd64-linux/native/fixed\n"
                       "ok/amd64-linux/native/regress-crash\n"
                       "ok/arm-linux/native/fixed  (left out: no host crossrt runs on (amd64) "
                       "executes arm binaries itself)\n"
                       "ok/arm-linux/native/regress-crash  (left out: no host crossrt runs on "
                       "(amd64) executes arm binaries itself)\n");
    Result json = crossrt({"list", "--json", "--all", "--arch", "arm"});
    auto listed = nlohmann::json::parse(json.out);
    EXPECT_TRUE(listed.at("cells").empty());
    auto left_out = listed.at("left_out");
    ASSERT_EQ(left_out.size(), 2u);
    EXPECT_EQ(left_out[0]["name"], "ok/arm-linux/native/fixed");
    EXPECT_EQ(left_out[0]["variant"], "fixed");
    EXPECT_EQ(left_out[0]["reason"],
              "no host crossrt runs on (amd64) executes arm binaries itself");
    json = crossrt({"list", "--json", "--arch", "amd64"});
    auto cells = nlohmann::json::parse(json.out);
    EXPECT_FALSE(cells.contains("left_out"));
    ASSERT_EQ(cells.at("cells").size(), 2u);
    EXPECT_TRUE(cells["cells"][0]["skip"].is_null());
    Result ctest = crossrt({"list", "--ctest", "ok/amd64-linux/native/fixed"});
    EXPECT_THAT(ctest.out, HasSubstr(std::string("add_test(ok/amd64-linux/native/fixed ") +
                                     CROSSRT_TEST_BINARY + " --scenarios " + scenarios().string()));
    EXPECT_THAT(ctest.out, HasSubstr("run ok/amd64-linux/native/fixed)\n"));
    EXPECT_THAT(ctest.out, HasSubstr("LABELS \"arch=amd64;os=linux;backend=native;scenario=ok\""));
    EXPECT_THAT(crossrt({"list", "--ctest"}).out, Not(HasSubstr("arm-linux")));
    EXPECT_EQ(crossrt({"list", "--ctest", "--all"}).status, 2);
    Result named = crossrt({"list", "--all", "ok/arm-linux/native/fixed"});
    EXPECT_EQ(named.status, 0) << named.err;
    EXPECT_EQ(named.out, "ok/arm-linux/native/fixed  (left out: no host crossrt runs on (amd64) "
                         "executes arm binaries itself)\n");
}

TEST_F(CliTest, ALeftOutCombinationIsAUsageErrorSayingWhy) {
    standard_scenarios();
    Result run = crossrt({"run", "ok/arm-linux/native"});
    EXPECT_EQ(run.status, 2);
    EXPECT_THAT(run.err, HasSubstr("no cell matches 'ok/arm-linux/native': it names only "
                                   "combinations left out of the matrix (crossrt list --all), as "
                                   "ok/arm-linux/native/fixed: no host crossrt runs on (amd64) "
                                   "executes arm binaries itself"));
}

TEST_F(CliTest, BadFiltersAreUsageErrors) {
    standard_scenarios();
    EXPECT_EQ(crossrt({"list", "--arch", "mips"}).status, 2);
    Result nothing = crossrt({"run", "nothing-matches"});
    EXPECT_EQ(nothing.status, 2);
    EXPECT_THAT(nothing.err, HasSubstr("no cell matches 'nothing-matches'"));
    EXPECT_EQ(crossrt({"frobnicate"}).status, 2);
}

TEST_F(CliTest, NewWritesAScenarioTheHarnessLoads) {
    std::filesystem::create_directories(scenarios());
    Result created = crossrt({"new", "demo"});
    EXPECT_EQ(created.status, 0) << created.err;
    EXPECT_THAT(created.out, HasSubstr("scenarios/demo/ with scenario.toml main.cc README.md"));
    for (const char* file : {"scenario.toml", "main.cc", "README.md"})
        EXPECT_TRUE(std::filesystem::is_regular_file(scenarios() / "demo" / file)) << file;
    EXPECT_THAT(test::read_file(scenarios() / "demo" / "main.cc"),
                HasSubstr("#ifndef RT_REGRESS_DEMO_NO_WAIT"));
    // Nothing but the folder is left behind (the staging folder is renamed).
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(scenarios()),
                            std::filesystem::directory_iterator()),
              1);
    // The manifest loads: on this host's matrix, 11 cells per variant.
    Result list = crossrt({"list", "demo"});
    EXPECT_EQ(list.status, 0) << list.err;
    EXPECT_EQ(std::count(list.out.begin(), list.out.end(), '\n'), 22) << list.out;
    EXPECT_THAT(list.out, HasSubstr("demo/arm-netbsd/unicorn/regress-no-wait\n"));
    EXPECT_THAT(list.out, HasSubstr("demo/386-linux/native/fixed\n"));
    EXPECT_THAT(list.out, Not(HasSubstr("skipped")));
}

TEST_F(CliTest, NewRefusesBadNamesAndExistingFolders) {
    std::filesystem::create_directories(scenarios() / "taken");
    for (const char* name : {"Demo", "-x", "a/b", "..", "x-", "", "a.b", "9lives"}) {
        Result refused = crossrt({"new", "--", name});
        EXPECT_EQ(refused.status, 2) << name;
        EXPECT_THAT(refused.err, HasSubstr(fmt::format("crossrt new: '{}' is not a scenario name: "
                                                       "use at most 64 lowercase letters",
                                                       name)))
            << name;
    }
    Result taken = crossrt({"new", "taken"});
    EXPECT_EQ(taken.status, 2);
    EXPECT_THAT(taken.err, HasSubstr((scenarios() / "taken").string() +
                                     " already exists: choose another name"));
    EXPECT_TRUE(std::filesystem::is_empty(scenarios() / "taken"));
    Result nowhere =
        Process({"--scenarios", (dir.path() / "none").string(), "new", "x"}, dir.path()).wait();
    EXPECT_EQ(nowhere.status, 2);
    EXPECT_THAT(nowhere.err, HasSubstr("the scenario directory " + (dir.path() / "none").string() +
                                       " does not exist"));
}

TEST_F(CliTest, DoctorSaysWhatAMissingQemuCostsAndHowToInstallIt) {
    scenario("emulated", "description = \"d\"\nsources = [\"main.c\"]\narch = [\"arm\"]\n"
                         "backends = [\"qemu\", \"unicorn\"]\n");
    // This host's PATH without any qemu: every other program where it was.
    auto bin = dir.path() / "path-without-qemu";
    std::filesystem::create_directories(bin);
    std::string path = std::getenv("PATH");
    for (std::size_t start = 0; start <= path.size();) {
        std::size_t end = std::min(path.find(':', start), path.size());
        std::error_code error;
        for (const auto& entry :
             std::filesystem::directory_iterator(path.substr(start, end - start), error)) {
            std::string name = entry.path().filename().string();
            if (!name.starts_with("qemu-") && !std::filesystem::exists(bin / name))
                std::filesystem::create_symlink(entry.path(), bin / name, error);
        }
        start = end + 1;
    }
    Result doctor = crossrt({"doctor"}, {"PATH=" + bin.string()});
    EXPECT_EQ(doctor.status, 1) << doctor.out << doctor.err;
    EXPECT_THAT(doctor.out, testing::ContainsRegex("MISSING +qemu-arm +not found in PATH\n"));
    EXPECT_THAT(doctor.out, HasSubstr("costs: 1 cell (qemu on arm-linux) and the on-target "
                                      "self-tests of arm-linux (ctest)\n"));
    EXPECT_THAT(doctor.out,
                HasSubstr("fix:   sudo apt-get install -t bookworm-backports qemu-user\n"));
    EXPECT_THAT(doctor.out, HasSubstr("required piece"));
    // The same host with its qemu (ci/setup installs it): no qemu line is missing.
    if (access("/usr/bin/qemu-arm", X_OK) == 0) {
        Result whole = crossrt({"doctor"});
        EXPECT_THAT(whole.out, testing::ContainsRegex("ok +qemu-arm +[0-9.]+ \\(/"));
        EXPECT_THAT(whole.out, Not(HasSubstr("MISSING  qemu-")));
    }
}

TEST_F(CliTest, ManifestErrorsExitTwoWithPositions) {
    standard_scenarios();
    scenario("broken", "description = \"d\"\nsources = [\"main.c\"]\ntimeout = \"x\"\n[expect]\n"
                       "sigal = 1\n");
    for (const char* command : {"list", "plan", "run"}) {
        Result result = crossrt({command});
        EXPECT_EQ(result.status, 2) << command;
        EXPECT_THAT(result.err, HasSubstr("broken/scenario.toml:3:11: key 'timeout' must be a "
                                          "number, not a string"));
        EXPECT_THAT(result.err, HasSubstr("broken/scenario.toml:5:1: key 'expect.sigal' is not a "
                                          "manifest key"));
    }
}

TEST_F(CliTest, PlanCmake) {
    standard_scenarios();
    Result plan = crossrt({"plan", "--cmake"});
    EXPECT_EQ(plan.status, 0) << plan.err;
    std::string ok_dir = (scenarios() / "ok").string();
    EXPECT_EQ(plan.out,
              "crossrt_scenario_binary(SCENARIO ok VARIANT fixed TARGET amd64-linux DIR " + ok_dir +
                  " SOURCES main.c DEFINES)\n"
                  "crossrt_scenario_binary(SCENARIO ok VARIANT regress-crash "
                  "TARGET amd64-linux DIR " +
                  ok_dir + " SOURCES main.c DEFINES RT_CRASH)\n");
}

TEST_F(CliTest, RunPassesAndWritesReports) {
    standard_scenarios();
    auto json = dir.path() / "r.json";
    auto junit = dir.path() / "r.xml";
    Result run = crossrt({"run", "-j", "2", "--json", json.string(), "--junit", junit.string()});
    EXPECT_EQ(run.status, 0) << run.out << run.err;
    EXPECT_THAT(run.out, HasSubstr("PASS  ok/amd64-linux/native/fixed  ("));
    EXPECT_THAT(run.out, HasSubstr("PASS  ok/amd64-linux/native/regress-crash  ("));
    EXPECT_THAT(run.out, HasSubstr("regression caught: SIGSEGV"));
    EXPECT_THAT(run.out, Not(HasSubstr("arm-linux")));
    EXPECT_THAT(run.out, HasSubstr("2 cells: 2 passed, 0 failed, 0 skipped, 0 timeout, 0 error"));
    auto results = nlohmann::json::parse(test::read_file(json)).at("results");
    EXPECT_EQ(results.size(), 2u);
    EXPECT_THAT(test::read_file(junit), HasSubstr("<testsuite name=\"ok\" tests=\"2\""));
}

TEST_F(CliTest, RunFailuresExitOne) {
    standard_scenarios();
    binary("ok", "fixed", "echo ready n=x");
    test::write_file(scenarios() / "ok" / "x", "");
    std::filesystem::remove(build() / "targets/amd64-linux/scenarios/ok/regress-crash");
    Result run = crossrt({"run", "ok/amd64"});
    EXPECT_EQ(run.status, 1);
    EXPECT_THAT(run.out, HasSubstr("FAIL  ok/amd64-linux/native/fixed  ("));
    EXPECT_THAT(run.out, HasSubstr("stdout check 2 (regex \"n=[0-9]+\") did not match after "
                                   "offset 5"));
    EXPECT_THAT(run.out, HasSubstr("ERROR  ok/amd64-linux/native/regress-crash  (0.00s): binary "
                                   "not built: "));
    EXPECT_THAT(run.out, HasSubstr("failing cells:\n  ok/amd64-linux/native/fixed (fail)\n"));
}

TEST_F(CliTest, RunExitsOneForEveryFailureVerdict) {
    // The exit status follows is_failure: an xpass fails the run, an xfail does not.
    scenario("known", R"(description = "marked broken"
sources = ["main.c"]
arch = ["amd64"]
backends = ["native"]
[[xfail]]
reason = "was broken"
)");
    binary("known", "fixed", "exit 0");
    Result xpass = crossrt({"run", "known"});
    EXPECT_EQ(xpass.status, 1) << xpass.out;
    EXPECT_THAT(xpass.out, HasSubstr("XPASS  known/amd64-linux/native/fixed"));
    binary("known", "fixed", "exit 3");
    Result xfail = crossrt({"run", "known"});
    EXPECT_EQ(xfail.status, 0) << xfail.out;
    EXPECT_THAT(xfail.out, HasSubstr("XFAIL  known/amd64-linux/native/fixed"));
}

TEST_F(CliTest, RunRepeatAndSharding) {
    standard_scenarios();
    Result repeat = crossrt({"run", "--repeat", "2", "ok/amd64-linux/native/fixed"});
    EXPECT_EQ(repeat.status, 0);
    EXPECT_THAT(repeat.out, HasSubstr("ok/amd64-linux/native/fixed#1"));
    EXPECT_THAT(repeat.out, HasSubstr("ok/amd64-linux/native/fixed#2"));
    auto status_file = dir.path() / "shard-status";
    Result shard = crossrt({"run"}, {"GTEST_TOTAL_SHARDS=3", "GTEST_SHARD_INDEX=1",
                                     "GTEST_SHARD_STATUS_FILE=" + status_file.string()});
    EXPECT_EQ(shard.status, 0) << shard.err;
    // By cost (manifest timeouts): the two amd64 cells go to shards 0 and
    // 1 (native arm is no cell: no host could run it).
    EXPECT_THAT(shard.out, HasSubstr("1 cells:"));
    EXPECT_THAT(shard.out, HasSubstr("ok/amd64-linux/native/regress-crash"));
    EXPECT_TRUE(std::filesystem::exists(status_file));
}

// JSON without what differs from run to run (durations), for comparing
// the merged shards' report with the unsharded one.
nlohmann::json without_durations(const std::filesystem::path& report) {
    auto json = nlohmann::json::parse(test::read_file(report));
    for (auto& result : json.at("results")) {
        result.erase("duration_s");
        result.erase("cpu_s");
    }
    return json;
}

std::string without_times(const std::string& text) {
    std::string kept;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        for (std::string key : {" time=\"", "duration_s: "}) {
            auto at = line.find(key);
            if (at != std::string::npos)
                line.erase(at + key.size(),
                           line.find_first_of("\"", at + key.size()) - at - key.size());
        }
        kept += line + "\n";
    }
    return kept;
}

TEST_F(CliTest, ShardsMergeIntoTheUnshardedReportCellForCell) {
    standard_scenarios();
    scenario("broken", R"(description = "fails"
sources = ["main.c"]
arch = ["amd64"]
backends = ["native"]
[[regress]]
name = "a"
define = "A"
symptom = "exit 2"
[regress.expect]
exit = 2
)");
    binary("broken", "fixed", "exit 1");
    binary("broken", "regress-a", "exit 2");
    unicorn_scenario();
    skipped_scenario();
    auto path = [&](const std::string& name) { return (dir.path() / name).string(); };
    Result whole = crossrt({"run", "-j", "2", "--json", path("whole.json"), "--junit",
                            path("whole.xml"), "--tap", path("whole.tap")});
    EXPECT_EQ(whole.status, 1) << whole.out << whole.err; // broken's fixed variant fails
    EXPECT_THAT(whole.out, HasSubstr("7 cells: 4 passed, 1 failed, 2 skipped"));
    auto expected = without_durations(dir.path() / "whole.json");
    EXPECT_EQ(expected["results"][2]["seed"], 7);
    for (unsigned total : {2u, 3u}) {
        std::vector<std::string> merge = {"merge"};
        std::size_t cells = 0;
        for (unsigned k = 1; k <= total; ++k) {
            std::string stem = fmt::format("shard-{}-of-{}", k, total);
            Result shard = crossrt(
                {"run", "--shard", fmt::format("{}/{}", k, total), "--json", path(stem + ".json")});
            EXPECT_THAT(shard.status, testing::AnyOf(0, 1)) << shard.err;
            auto report = nlohmann::json::parse(test::read_file(path(stem + ".json")));
            EXPECT_EQ(report["shard"]["index"], k);
            EXPECT_EQ(report["shard"]["total"], total);
            EXPECT_GE(report["results"].size(), 1u) << stem; // 7 cells, at most 3 shards
            cells += report["results"].size();
            merge.push_back(path(stem + ".json"));
        }
        EXPECT_EQ(cells, 7u);
        std::reverse(merge.begin() + 1, merge.end()); // any order
        merge.insert(merge.end(), {"--json", path("merged.json"), "--junit", path("merged.xml"),
                                   "--tap", path("merged.tap")});
        Result merged = crossrt(merge);
        EXPECT_EQ(merged.status, 1) << merged.err; // the failure survives the merge
        EXPECT_THAT(merged.out, HasSubstr("7 cells: 4 passed, 1 failed, 2 skipped"));
        EXPECT_EQ(without_durations(dir.path() / "merged.json"), expected) << total;
        EXPECT_EQ(without_times(test::read_file(path("merged.xml"))),
                  without_times(test::read_file(path("whole.xml"))));
        EXPECT_EQ(without_times(test::read_file(path("merged.tap"))),
                  without_times(test::read_file(path("whole.tap"))));
    }
    // A shard left out, and a shard of the other split: refused by name.
    Result missing = crossrt({"merge", path("shard-1-of-3.json"), path("shard-3-of-3.json")});
    EXPECT_EQ(missing.status, 2);
    EXPECT_THAT(missing.err, HasSubstr("crossrt: merge: shard 2 of 3 missing (given: 1, 3)"));
    Result mixed = crossrt({"merge", path("shard-1-of-3.json"), path("shard-2-of-2.json")});
    EXPECT_EQ(mixed.status, 2);
    EXPECT_THAT(mixed.err, HasSubstr("shards of different splits"));
}

TEST_F(CliTest, ShardsWeighCellsByThePreviousReportsDurations) {
    scenario("three", R"(description = "one slow cell, two fast"
sources = ["main.c"]
arch = ["amd64"]
backends = ["native"]
[[regress]]
name = "a"
define = "A"
symptom = "exit 2"
[regress.expect]
exit = 2
[[regress]]
name = "b"
define = "B"
symptom = "exit 2"
[regress.expect]
exit = 2
)");
    binary("three", "fixed", "sleep 0.5");
    binary("three", "regress-a", "exit 2");
    binary("three", "regress-b", "exit 2");
    // By the timeouts (all equal), in name order round the shards: the
    // first shard gets fixed and regress-b.
    Result by_timeouts = crossrt({"run", "--shard", "1/2"});
    EXPECT_THAT(by_timeouts.out, HasSubstr("2 cells:")) << by_timeouts.out;
    EXPECT_THAT(by_timeouts.out, HasSubstr("three/amd64-linux/native/regress-b"));
    // By the durations the slow cell has the first shard to itself.
    auto previous = dir.path() / "previous.json";
    ASSERT_EQ(crossrt({"run", "--json", previous.string()}).status, 0);
    auto report = dir.path() / "first.json";
    Result by_durations = crossrt(
        {"run", "--shard", "1/2", "--shard-costs", previous.string(), "--json", report.string()});
    EXPECT_THAT(by_durations.out, HasSubstr("1 cells: 1 passed")) << by_durations.out;
    EXPECT_THAT(by_durations.out, HasSubstr("PASS  three/amd64-linux/native/fixed"));
    EXPECT_THAT(nlohmann::json::parse(test::read_file(report))["shard"]["costs"].get<std::string>(),
                HasSubstr("durations in " + previous.string() + " (3 of 3 cells"));
    test::write_file(dir.path() / "notes.txt", "not a report");
    Result bad =
        crossrt({"run", "--shard", "1/2", "--shard-costs", (dir.path() / "notes.txt").string()});
    EXPECT_EQ(bad.status, 2);
    EXPECT_THAT(bad.err, HasSubstr("crossrt: --shard-costs: " +
                                   (dir.path() / "notes.txt").string() + ": not JSON"));
    Result zero = crossrt({"run", "--shard", "0/2"});
    EXPECT_EQ(zero.status, 2);
    EXPECT_THAT(zero.err, HasSubstr("--shard '0/2': K must be 1 to N"));
}

// A shell command's exit status, its output in `log`.
int run_shell(const std::string& command, const std::filesystem::path& log) {
    int status = std::system((command + " >" + log.string() + " 2>&1").c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// ci/shard and ci/merge, the commands ci/examples/*.yml run, run here shard
// by shard as a CI system would, then merged.
TEST_F(CliTest, TheCiScriptsRunShardsAndMergeThemIntoTheUnshardedReport) {
    standard_scenarios();
    unicorn_scenario(true);
    skipped_scenario();
    auto whole = dir.path() / "whole.json";
    EXPECT_EQ(crossrt({"run", "--json", whole.string()}).status, 1); // regress-missed fails
    auto reports = dir.path() / "reports";
    std::string environment =
        fmt::format("CROSSRT={} CROSSRT_REPORTS={}", CROSSRT_TEST_BINARY, reports.string());
    std::string scripts = std::string(CROSSRT_TEST_SOURCE_DIR) + "/ci/";
    auto log = dir.path() / "log";
    for (int k = 1; k <= 3; ++k) {
        int status =
            run_shell(fmt::format("{} {}shard {} 3 --scenarios {} --build-dir {}", environment,
                                  scripts, k, scenarios().string(), build().string()),
                      log);
        EXPECT_THAT(status, testing::AnyOf(0, 1)) << test::read_file(log);
        for (const char* ext : {".json", ".xml", ".tap"})
            EXPECT_TRUE(std::filesystem::exists(reports / fmt::format("shard-{}-of-3{}", k, ext)));
    }
    EXPECT_EQ(run_shell(environment + " " + scripts + "merge", log), 1) << test::read_file(log);
    EXPECT_THAT(test::read_file(log), HasSubstr("6 cells: 3 passed, 1 failed, 2 skipped"));
    auto merged = without_durations(reports / "suite.json");
    // The shards traced their unicorn cells; only the failed one's trace is kept.
    auto& results = merged["results"];
    ASSERT_EQ(results.size(), 6u);
    EXPECT_EQ(results[1]["name"], "kernel/amd64-linux/unicorn/regress-missed");
    EXPECT_TRUE(std::filesystem::exists(results[1]["trace"].get<std::string>()));
    EXPECT_FALSE(std::filesystem::exists(results[0]["trace"].get<std::string>()));
    for (auto& result : results)
        result.erase("trace");
    EXPECT_EQ(merged["results"], without_durations(whole)["results"]);
    EXPECT_TRUE(std::filesystem::exists(reports / "suite.xml"));
    EXPECT_THAT(test::read_file(reports / "suite.tap"), HasSubstr("1..6\n"));
    // A shard's report lost: ci/merge refuses, naming it.
    std::filesystem::remove(reports / "shard-2-of-3.json");
    EXPECT_EQ(run_shell(environment + " " + scripts + "merge", log), 2);
    EXPECT_THAT(test::read_file(log), HasSubstr("shard 2 of 3 missing (given: 1, 3)"));
}

// docs/report.schema.json holds for real reports, every optional key
// too: an emulator, seeds, traces, repeats, a skip, a failure, a shard, a
// merge (report_schema_test.cc checks the checker).
TEST_F(CliTest, RealReportsMatchTheSchema) {
    standard_scenarios();
    binary("ok", "regress-crash", "exit 0"); // fails: the crash is not caught
    unicorn_scenario();
    skipped_scenario();
    auto path = [&](const std::string& name) { return (dir.path() / name).string(); };
    EXPECT_EQ(
        crossrt({"run", "--repeat", "2", "--trace", path("traces"), "--json", path("whole.json")})
            .status,
        1);
    EXPECT_EQ(crossrt({"run", "--shard", "1/2", "--json", path("s1.json")}).status, 1);
    EXPECT_EQ(crossrt({"run", "--shard", "2/2", "--json", path("s2.json")}).status, 0);
    EXPECT_EQ(
        crossrt({"merge", path("s1.json"), path("s2.json"), "--json", path("merged.json")}).status,
        1);
    auto whole = nlohmann::json::parse(test::read_file(path("whole.json")));
    ASSERT_EQ(whole["results"].size(), 10u);
    EXPECT_EQ(whole["results"][0]["seed"], 7);
    EXPECT_THAT(whole["results"][0]["emulator"].get<std::string>(),
                ::testing::StartsWith("unicorn "));
    EXPECT_TRUE(whole["results"][0].contains("trace"));
    for (const char* name : {"whole.json", "s1.json", "s2.json", "merged.json"}) {
        EXPECT_THAT(test::report_schema_errors(nlohmann::json::parse(test::read_file(path(name)))),
                    ::testing::IsEmpty())
            << name;
    }
}

// The example workflows are YAML their CI reads, and run the scripts above.
TEST(CiExamples, AreYamlThatRunTheCiScripts) {
    std::string examples = std::string(CROSSRT_TEST_SOURCE_DIR) + "/ci/examples/";
    test::ScratchDir dir;
    auto log = dir.path() / "log";
    // PyYAML reads GitHub's `on:` as true; the jobs are what matter.
    test::write_file(dir.path() / "check.py", R"(import sys, yaml
examples = sys.argv[1]
github = yaml.safe_load(open(examples + "github-actions.yml"))
shard = " ".join(s.get("run", "") for s in github["jobs"]["shard"]["steps"])
merge = " ".join(s.get("run", "") for s in github["jobs"]["merge"]["steps"])
assert "ci/shard ${{ matrix.shard }} ${{ strategy.job-total }}" in shard, shard
assert "ci/setup" in shard and "cmake --build --preset default" in shard, shard
assert "ci/merge" in merge and github["jobs"]["merge"]["needs"] == "shard", merge
gitlab = yaml.safe_load(open(examples + "gitlab-ci.yml"))
assert gitlab["crossrt-shard"]["parallel"] > 1
assert 'ci/shard "$CI_NODE_INDEX" "$CI_NODE_TOTAL"' in gitlab["crossrt-shard"]["script"]
assert "ci/setup" in gitlab["default"]["before_script"]
assert any("ci/merge" in line for line in gitlab["crossrt-merge"]["script"])
)");
    std::string check = fmt::format("python3 {} {}", (dir.path() / "check.py").string(), examples);
    EXPECT_EQ(run_shell(check, log), 0) << test::read_file(log);
}

TEST_F(CliTest, InterruptKillsRunningAndReportsNotRun) {
    scenario("slow", "description = \"d\"\nsources = [\"main.c\"]\narch = [\"amd64\"]\n"
                     "backends = [\"native\"]\ntimeout = 60\n");
    binary("slow", "fixed", "sleep 60");
    auto json = dir.path() / "r.json";
    auto junit = dir.path() / "r.xml";
    Process process({"--scenarios", scenarios().string(), "--build-dir", build().string(), "run",
                     "-j", "1", "--repeat", "3", "--json", json.string(), "--junit",
                     junit.string()},
                    dir.path());
    usleep(500 * 1000);
    process.signal(SIGINT);
    Result result = process.wait();
    EXPECT_EQ(result.status, 130) << result.out << result.err;
    auto results = nlohmann::json::parse(test::read_file(json)).at("results");
    ASSERT_EQ(results.size(), 3u);
    EXPECT_EQ(results[0]["verdict"], "error");
    EXPECT_EQ(results[0]["detail"], "interrupted");
    for (int i : {1, 2}) {
        EXPECT_EQ(results[i]["verdict"], "skip");
        EXPECT_EQ(results[i]["detail"], "not run (interrupted)");
    }
    // The cell cut short is an <error>; the two that never started are not
    // failures of any kind.
    std::string xml = test::read_file(junit);
    EXPECT_THAT(xml, HasSubstr("<testsuites name=\"crossrt\" tests=\"3\" failures=\"0\" "
                               "errors=\"1\" skipped=\"2\""));
    EXPECT_THAT(xml, HasSubstr("<error message=\"interrupted\" type=\"error\"/>"));
    EXPECT_THAT(xml, HasSubstr("<skipped message=\"not run (interrupted)\"/>"));
    EXPECT_THAT(xml, Not(HasSubstr("<failure")));
}

// Each numeric option is refused by name when it is not a finite number in
// its documented range (1e10 s was taken, and "timed out after 0.0s").
TEST_F(CliTest, NumericOptionsOutsideTheirRangeAreRefusedByName) {
    struct Case {
        std::vector<std::string> args;
        std::string message;
    };
    const std::string seconds = "must be a number of seconds from 0 to 604800, not ";
    const std::vector<Case> cases = {
        {{"exec", "--timeout=1e10", "/bin/true"}, "--timeout: " + seconds + "'1e10'"},
        {{"exec", "--timeout=nan", "/bin/true"}, "--timeout: " + seconds + "'nan'"},
        {{"exec", "--timeout=inf", "/bin/true"}, "--timeout: " + seconds + "'inf'"},
        {{"exec", "--timeout=-1", "/bin/true"}, "--timeout: " + seconds + "'-1'"},
        {{"exec", "--timeout=604800.5", "/bin/true"}, "--timeout: " + seconds + "'604800.5'"},
        {{"exec", "--seed=-1", "/bin/true"},
         "--seed: must be an integer from 0 to 18446744073709551615, not '-1'"},
        {{"exec", "--cpus=65", "/bin/true"}, "--cpus: must be an integer from 1 to 64, not '65'"},
        {{"run", "--seed=18446744073709551616"},
         "--seed: must be an integer from 0 to 18446744073709551615, not "
         "'18446744073709551616'"},
        {{"run", "--seed=1e3"},
         "--seed: must be an integer from 0 to 18446744073709551615, not "
         "'1e3'"},
        {{"run", "--seeds=0"}, "--seeds: must be an integer from 1 to 100000, not '0'"},
        {{"run", "--seeds=0x10"}, "--seeds: must be an integer from 1 to 100000, not '0x10'"},
        {{"run", "--repeat=100001"},
         "--repeat: must be an integer from 1 to 100000, not "
         "'100001'"},
        {{"run", "--jobs=0"}, "--jobs: must be an integer from 1 to 1024, not '0'"},
        {{"run", "--jobs=4294967297"},
         "--jobs: must be an integer from 1 to 1024, not "
         "'4294967297'"},
        {{"run", "--cpus=0"}, "--cpus: must be an integer from 1 to 64, not '0'"},
    };
    for (const Case& c : cases) {
        Result result = crossrt(c.args);
        EXPECT_EQ(result.status, 2) << c.args[1];
        EXPECT_THAT(result.err, HasSubstr(c.message)) << c.args[1];
    }
    // The limits themselves are allowed, and a leading zero is decimal, not octal.
    Result week = crossrt({"exec", "--timeout=604800", "/bin/true"});
    EXPECT_EQ(week.status, 0) << week.err;
    standard_scenarios();
    Result decimal = crossrt({"run", "--repeat=010", "ok/amd64-linux/native/fixed"});
    EXPECT_EQ(decimal.status, 0) << decimal.err;
    EXPECT_THAT(decimal.out, HasSubstr("ok/amd64-linux/native/fixed#10"));
}

TEST_F(CliTest, AManifestTimeoutOfInfinityIsAnErrorWithItsPosition) {
    scenario("forever", "description = \"d\"\nsources = [\"main.c\"]\ntimeout = inf\n");
    Result run = crossrt({"run"});
    EXPECT_EQ(run.status, 2);
    EXPECT_THAT(run.err, HasSubstr("forever/scenario.toml:3:11: key 'timeout' must be a number of "
                                   "seconds above 0 and at most 604800 (one week), not inf"));
}

TEST_F(CliTest, ExecPassesStatusSignalAndOutput) {
    Result exited = crossrt({"exec", "--", "/bin/sh", "-c", "echo out; echo err >&2; exit 5"});
    EXPECT_EQ(exited.status, 5);
    EXPECT_EQ(exited.out, "out\n");
    EXPECT_EQ(exited.err, "err\n");
    // Guest options are not crossrt's, with or without "--".
    Result options =
        crossrt({"exec", "--backend", "native", "/bin/sh", "-c", "echo $0 $1", "--x", "-test.v"});
    EXPECT_EQ(options.status, 0) << options.err;
    EXPECT_EQ(options.out, "--x -test.v\n");
    Result killed = crossrt({"exec", "/bin/sh", "-c", "kill -SEGV $$"});
    EXPECT_EQ(killed.status, 128 + SIGSEGV);
    EXPECT_THAT(killed.err, HasSubstr("crossrt: guest killed by signal SIGSEGV"));
    Result timeout = crossrt({"exec", "--timeout", "0.2", "/bin/sh", "-c", "sleep 20"});
    EXPECT_EQ(timeout.status, 124);
}

TEST_F(CliTest, ExecMountsShowHostDirectoriesNativeOnlyAtTheirOwnPath) {
    std::filesystem::path data = dir.path() / "data";
    test::write_file(data / "hello.txt", "hello from a mount\n");
    std::string d = std::filesystem::canonical(data).string();
    Result shown = crossrt({"exec", "--backend", "native", "--mount", d + ":" + d + ":ro", "--cwd",
                            d, "--", "/bin/cat", "hello.txt"});
    EXPECT_EQ(shown.status, 0) << shown.err;
    EXPECT_EQ(shown.out, "hello from a mount\n");
    Result elsewhere =
        crossrt({"exec", "--backend", "native", "--mount", d + ":/data", "--", "/bin/true"});
    EXPECT_EQ(elsewhere.status, 2);
    EXPECT_THAT(elsewhere.err, HasSubstr("can only be mounted at its own path"));
    for (const char* bad : {"nocolon", "a:relative"}) {
        Result refused = crossrt({"exec", "--mount", bad, "--", "/bin/true"});
        EXPECT_EQ(refused.status, 2) << bad;
        EXPECT_THAT(refused.err, HasSubstr(std::string("--mount '") + bad + "'")) << bad;
    }
}

// --sysroot / gives a dynamic amd64 guest (the host's /bin/sh) the host's
// own interpreter and libraries: under unicorn its /usr, /lib, /lib64 and
// /bin, read-only; under qemu as -L /. Natively only / applies.
TEST_F(CliTest, ExecSysrootGivesADynamicGuestItsLibraries) {
    Result unicorn = crossrt(
        {"exec", "--backend", "unicorn", "--sysroot", "/", "--", "/bin/sh", "-c", "echo hi; ls /"});
    EXPECT_EQ(unicorn.status, 0) << unicorn.err;
    EXPECT_EQ(unicorn.out, "hi\nbin\ndev\netc\nlib\nlib64\nproc\nsys\ntmp\nusr\n");
    Result none = crossrt({"exec", "--backend", "unicorn", "--", "/bin/sh", "-c", "echo hi"});
    EXPECT_NE(none.status, 0);
    EXPECT_THAT(none.err, HasSubstr("/bin/sh is dynamically linked and its interpreter "
                                    "/lib64/ld-linux-x86-64.so.2 is not in the guest's file tree"));
    Result qemu =
        crossrt({"exec", "--backend", "qemu", "--sysroot", "/", "--", "/bin/sh", "-c", "echo hi"});
    EXPECT_EQ(qemu.status, 0) << qemu.err;
    EXPECT_EQ(qemu.out, "hi\n");
    Result native = crossrt(
        {"exec", "--backend", "native", "--sysroot", dir.path().string(), "--", "/bin/true"});
    EXPECT_NE(native.status, 0);
    EXPECT_THAT(native.err, HasSubstr("only / applies there"));
    Result missing = crossrt({"exec", "--sysroot", "/no/such/dir", "--", "/bin/true"});
    EXPECT_EQ(missing.status, 2);
    EXPECT_THAT(missing.err, HasSubstr("--sysroot /no/such/dir: not a directory"));
}

TEST_F(CliTest, AMountNativeCannotShowSkipsTheCellWithTheReason) {
    test::write_file(scenarios() / "m" / "testdata" / "x", "x");
    scenario("m", R"(description = "mounts"
sources = ["main.c"]
arch = ["amd64"]
backends = ["native"]
mounts = ["testdata:/data:ro"]
)");
    binary("m", "fixed", "true");
    Result run = crossrt({"run", "m"});
    EXPECT_EQ(run.status, 0) << run.out << run.err;
    EXPECT_THAT(run.out, HasSubstr("SKIP  m/amd64-linux/native/fixed"));
    EXPECT_THAT(run.out, HasSubstr("can only be mounted at its own path"));
}

TEST_F(CliTest, ExecRefusesWhatItCannotRun) {
    test::write_file(dir.path() / "script", "#!/bin/sh\n", true);
    Result script = crossrt({"exec", (dir.path() / "script").string()});
    EXPECT_EQ(script.status, 2);
    EXPECT_THAT(script.err, HasSubstr("is not an ELF file"));
    Result none = crossrt({"exec"});
    EXPECT_EQ(none.status, 2);
    Result backend = crossrt({"exec", "--backend", "bochs", "/bin/true"});
    EXPECT_EQ(backend.status, 2);
    EXPECT_THAT(backend.err, HasSubstr("unknown backend 'bochs'"));
    // The unicorn-only options are refused on another backend, and a bad
    // injection is named before anything runs.
    Result seed = crossrt({"exec", "--backend", "native", "--seed", "3", "/bin/true"});
    EXPECT_EQ(seed.status, 2);
    EXPECT_THAT(seed.err, HasSubstr("need the unicorn backend, not native"));
    Result native_cpus = crossrt({"exec", "--backend", "native", "--cpus", "2", "/bin/true"});
    EXPECT_EQ(native_cpus.status, 2);
    EXPECT_THAT(native_cpus.err, HasSubstr("need the unicorn backend, not native"));
    Result cpus = crossrt({"exec", "--backend", "unicorn", "--cpus", "0", "/bin/true"});
    EXPECT_EQ(cpus.status, 2) << cpus.err;
    EXPECT_THAT(cpus.err, HasSubstr("--cpus"));
    Result inject = crossrt({"exec", "--inject", "SIGUSR1@x", "--", "/bin/true"});
    EXPECT_EQ(inject.status, 2);
    EXPECT_THAT(inject.err, HasSubstr("--inject 'SIGUSR1@x' is not SIG@N"));
}

// exec gives the guest nothing of the caller unless asked: a native guest
// started from / read /etc/shadow through its inherited cwd.
TEST_F(CliTest, ExecGivesACleanEnvironmentNoStdinAndAFreshCwd) {
    test::write_file(dir.path() / "input", "from stdin\n");
    test::write_file(dir.path() / "here" / "secret", "the caller's file\n");
    std::filesystem::path here = std::filesystem::canonical(dir.path() / "here");
    auto exec = [&](std::vector<std::string> options, const std::string& script) {
        std::vector<std::string> args = {"exec"};
        args.insert(args.end(), options.begin(), options.end());
        args.insert(args.end(), {"--", "/bin/sh", "-c", script});
        return Process(args, dir.path(), {"HOSTONLY=leaked"}, dir.path() / "input", here).wait();
    };
    const std::string show = "echo \"[$HOSTONLY][$PATH][$LANG][$A][$B]\"; "
                             "test \"$PWD\" = \"$TMPDIR\" && test \"$HOME\" = \"$TMPDIR\" && "
                             "echo fresh; ls; cat; cat secret 2>/dev/null; echo end";
    Result clean = exec({}, show);
    EXPECT_EQ(clean.status, 0) << clean.err;
    EXPECT_EQ(clean.out, "[][/usr/bin:/bin][C][][]\nfresh\nend\n");

    Result chosen = exec({"--env", "A=1", "--env=B=two=2"}, show);
    EXPECT_EQ(chosen.out, "[][/usr/bin:/bin][C][1][two=2]\nfresh\nend\n") << chosen.err;

    Result inherited = exec({"--inherit-env", "--env", "A=1"}, show);
    EXPECT_THAT(inherited.out, HasSubstr("[leaked]["));
    EXPECT_THAT(inherited.out, HasSubstr("][1][]\n"));

    Result with_stdin = exec({"--stdin"}, "cat");
    EXPECT_EQ(with_stdin.out, "from stdin\n") << with_stdin.err;

    // --cwd . is the caller's: readable, not writable.
    Result in_caller = exec({"--cwd", "."}, "pwd; cat secret; echo x > new || echo refused");
    EXPECT_EQ(in_caller.out, here.string() + "\nthe caller's file\nrefused\n") << in_caller.err;

    for (const char* bad : {"NOEQUALS", "=value"}) {
        Result refused = exec({"--env", bad}, "true");
        EXPECT_EQ(refused.status, 2) << bad;
        EXPECT_THAT(refused.err, HasSubstr(std::string("--env '") + bad + "' is not NAME=VALUE"));
    }
}

TEST_F(CliTest, ExecUnderTheKernelRunsInTheTreeUnlessCwdNamesAHostDirectory) {
    test::write_file(dir.path() / "here" / "secret", "x");
    std::filesystem::path here = std::filesystem::canonical(dir.path() / "here");
    auto program = dir.path() / "print-cwd";
    test::write_file(program, test::static_executable(EM_X86_64, test::print_cwd_code()), true);
    auto exec = [&](std::vector<std::string> options) {
        std::vector<std::string> args = {"exec", "--backend", "unicorn"};
        args.insert(args.end(), options.begin(), options.end());
        args.insert(args.end(), {"--", program.string()});
        return Process(args, dir.path(), {}, {}, here).wait();
    };
    Result fresh = exec({});
    EXPECT_EQ(fresh.out, "/tmp") << fresh.err;
    EXPECT_EQ(fresh.status, 3); // no "secret" in the tree's /tmp
    Result bound = exec({"--cwd", "."});
    EXPECT_EQ(bound.out, here.string()) << bound.err;
    EXPECT_EQ(bound.status, 0); // the host's file, bound
    Result made = exec({"--cwd", "/work-in-the-tree"});
    EXPECT_EQ(made.out, "/work-in-the-tree") << made.err;
    EXPECT_EQ(made.status, 3);
}

// execve refused a cut ELF with ENOEXEC, and the cell was skipped as if the
// host could not execute amd64.
TEST_F(CliTest, ATruncatedElfIsNamedAsSuchNotAsAnArchTheHostCannotRun) {
    std::string whole = test::static_executable(EM_X86_64, test::print_cwd_code());
    auto cut = dir.path() / "cut";
    test::write_file(cut, whole.substr(0, 40), true);
    Result exec = crossrt({"exec", "--", cut.string()});
    EXPECT_EQ(exec.status, 2);
    EXPECT_THAT(exec.err, HasSubstr(cut.string() + " is not a complete ELF file: it has 40 bytes, "
                                                   "less than its 64-byte ELF header"));
    scenario("cut", "description = \"d\"\nsources = [\"main.c\"]\narch = [\"amd64\"]\n"
                    "backends = [\"native\"]\n");
    auto binary_path = build() / "targets/amd64-linux/scenarios/cut/fixed";
    for (std::size_t length : {40, 100}) {
        test::write_file(binary_path, whole.substr(0, length), true);
        Result run = crossrt({"run", "cut"});
        EXPECT_EQ(run.status, 1) << length;
        EXPECT_THAT(run.out, HasSubstr("ERROR  cut/amd64-linux/native/fixed")) << length;
        EXPECT_THAT(run.out, HasSubstr(binary_path.string() + " is not a complete ELF file"))
            << length;
        EXPECT_THAT(run.out, Not(HasSubstr("cannot execute amd64"))) << length;
    }
}

// The loader made a map of every page of a 64 GiB bss (2.6 GB for 7.8 s),
// and std::bad_alloc read as "guest killed by signal SIGABRT".
TEST_F(CliTest, ASegmentPastTheMemoryCapIsRefusedBeforeAnythingIsAllocated) {
    auto huge = dir.path() / "huge";
    test::write_file(huge, test::static_executable(EM_X86_64, test::print_cwd_code(), 64ull << 30),
                     true);
    auto start = std::chrono::steady_clock::now();
    Result exec = crossrt({"exec", "--backend", "unicorn", "--", huge.string()});
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(exec.status, 2) << exec.err;
    EXPECT_THAT(exec.err, HasSubstr(huge.string() + ": the PT_LOAD segment at 0x400000 needs 64 "
                                                    "GiB of memory (p_memsz 0x1000000000), more "
                                                    "than the run's memory cap of 1 GiB"));
    EXPECT_THAT(exec.err, Not(HasSubstr("signal")));
    EXPECT_LT(seconds, 5.0) << "refused before allocating, not after";
}

// Anywhere in the emulator's process: a verdict, not std::terminate's SIGABRT.
TEST_F(CliTest, TheEmulatorOutOfMemoryIsAnErrorNotASignal) {
    if (kAddressSanitizer)
        GTEST_SKIP() << "AddressSanitizer's operator new reports running out of memory and aborts "
                        "instead of throwing std::bad_alloc, and no data limit leaves room for its "
                        "shadow memory: a sanitized crossrt cannot take this path";
    // A 256 MiB program: reading it needs more than the 96 MiB of data left.
    auto big = dir.path() / "big";
    test::write_file(big, test::static_executable(EM_X86_64, std::string(256u << 20, '\0')), true);
    std::string request = nlohmann::json({{"argv", {big.string()}}}).dump();
    auto err_path = dir.path() / "guest-stderr";
    pid_t pid = fork();
    if (pid == 0) {
        int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(err, 2);
        rlimit data{96u << 20, 96u << 20};
        setrlimit(RLIMIT_DATA, &data);
        execl(CROSSRT_TEST_BINARY, CROSSRT_TEST_BINARY, "unicorn-guest", request.c_str(),
              static_cast<char*>(nullptr));
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    std::string err = test::read_file(err_path);
    ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status) << ": " << err;
    EXPECT_EQ(WEXITSTATUS(status), 125) << err;
    EXPECT_THAT(err, HasSubstr("crossrt: error: the emulator ran out of host memory"));
}

} // namespace
} // namespace crossrt
