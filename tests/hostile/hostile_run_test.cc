// The hostile-guest corpus through `crossrt run`: cells on scratch
// scenarios whose binaries are the hostile guests. A huge output line and a
// memory hog get their verdicts in both reports, and SIGKILL of `crossrt
// run` with cells spinning natively and under qemu leaves nothing behind.
#include "outside.h"
#include "scratch_dir.h"

#include <csignal>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace crossrt::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr double kBound_s = 60;
constexpr double kReapBound_s = 10;

class HostileRun : public ::testing::Test {
protected:
    fs::path scenarios() const { return scratch.path() / "scenarios"; }
    fs::path build() const { return scratch.path() / "build"; }

    // A scenario whose binary on each arch's Linux target is a hostile guest.
    bool scenario(const std::string& name, const std::string& manifest, const std::string& guest,
                  const std::vector<std::string>& arches) {
        write_file(scenarios() / name / "scenario.toml", manifest);
        write_file(scenarios() / name / "main.c", "");
        for (const std::string& arch : arches) {
            auto program = hostile_guest(guest, arch);
            if (!program)
                return false;
            fs::path binary =
                build() / "targets" / (arch + "-linux") / "scenarios" / name / "fixed";
            fs::create_directories(binary.parent_path());
            fs::copy_file(*program, binary);
        }
        return true;
    }
    std::vector<std::string> run_args(std::vector<std::string> args) const {
        args.insert(args.begin(),
                    {"--scenarios", scenarios().string(), "--build-dir", build().string(), "run"});
        return args;
    }

    ScratchDir scratch;
    std::string marker = unique_marker();
};

TEST_F(HostileRun, AHugeLineAndAMemoryHogGetTheirVerdictsInEveryReport) {
    if (!caps_by_cgroup("memory_cap"))
        GTEST_SKIP() << "no memory cgroup here: " << sandbox_info().at("memory_cap");
    // A 1 MiB line against "A.*Z" overflowed std::regex's stack and lost
    // every result; a MAP_SHARED hog went past the per-process cap.
    ASSERT_TRUE(scenario("hostile-line",
                         fmt::format(R"(description = "a 1 MiB stdout line"
sources = ["main.c"]
arch = ["amd64"]
backends = ["native"]
args = ["1048576", "{}"]
[expect]
stdout = [{{ regex = "A.*Z" }}]
)",
                                     marker),
                         "huge_line", {"amd64"}));
    ASSERT_TRUE(scenario("hostile-memory",
                         fmt::format(R"(description = "shared memory past the cap"
sources = ["main.c"]
arch = ["amd64"]
backends = ["native"]
args = ["1024", "{}"]
[expect]
stdout = ["all 1024 MiB touched"]
)",
                                     marker),
                         "shared_hog", {"amd64"}));
    fs::path json = scratch.path() / "report.json";
    fs::path junit = scratch.path() / "report.xml";
    Crossrt run(
        run_args({"--memory", "64", "-j2", "--json", json.string(), "--junit", junit.string()}),
        scratch.path());
    ASSERT_TRUE(run.wait(kBound_s)) << "crossrt run did not end in " << kBound_s << " s";
    EXPECT_EQ(run.status(), 1) << run.err();
    EXPECT_THAT(run.out(), HasSubstr("PASS  hostile-line/amd64-linux/native/fixed"));
    EXPECT_THAT(run.out(), HasSubstr("MEMORY  hostile-memory/amd64-linux/native/fixed"));
    EXPECT_THAT(run.out(), HasSubstr("2 cells: 1 passed, 0 failed, 0 skipped, 0 timeout, "
                                     "0 error, 1 memory"));
    auto report = nlohmann::json::parse(read_file(json));
    ASSERT_EQ(report["results"].size(), 2u);
    EXPECT_EQ(report["results"][0]["verdict"], "pass");
    EXPECT_EQ(report["results"][1]["verdict"], "memory");
    EXPECT_THAT(report["results"][1]["detail"].get<std::string>(),
                HasSubstr("memory cap of 64 MiB reached"));
    EXPECT_THAT(report["sandbox"]["memory_cap"].get<std::string>(),
                ::testing::StartsWith("cgroup"));
    EXPECT_THAT(read_file(junit), HasSubstr("type=\"memory\""));
    EXPECT_TRUE(none_left(marker, kReapBound_s));
    EXPECT_THAT(leftover_cgroups(run.pid()), ::testing::IsEmpty());
    EXPECT_TRUE(fs::is_empty(run.temp_dir()));
}

TEST_F(HostileRun, SigkillOfRunLeavesNoProcessCgroupOrTempFile) {
    bool qemu = has_qemu("arm") && hostile_guest("spin", "arm");
    std::vector<std::string> arches = {"amd64"};
    if (qemu)
        arches.push_back("arm");
    ASSERT_TRUE(scenario("hostile-spin",
                         fmt::format(R"(description = "spins with its child"
sources = ["main.c"]
arch = ["amd64", "arm"]
backends = ["native", "qemu"]
timeout = 600
args = ["{}"]
[expect]
exit = 0
)",
                                     marker),
                         "spin", arches));
    std::vector<std::string> cells = {"hostile-spin/amd64-linux/native/fixed"};
    if (qemu)
        cells.push_back("hostile-spin/arm-linux/qemu/fixed");
    // The marker in crossrt's own arguments too: its forks (the cells'
    // supervisors and inits) carry it, and must be gone as well.
    std::vector<std::string> args = {"-j2", "--junit",
                                     (scratch.path() / (marker + ".xml")).string()};
    args.insert(args.end(), cells.begin(), cells.end());
    Crossrt run(run_args(args), scratch.path());
    ASSERT_TRUE(started(marker, "amd64-linux/scenarios/hostile-spin", 2, kBound_s)) << run.err();
    if (qemu) {
        ASSERT_TRUE(started(marker, "qemu-arm", 2, kBound_s)) << run.err();
    }
    kill(run.pid(), SIGKILL);
    run.wait(kBound_s);
    EXPECT_EQ(run.status(), 1000 + SIGKILL);
    EXPECT_TRUE(none_left(marker, kReapBound_s))
        << processes_with(marker).size() << " processes of the run are left";
    EXPECT_THAT(leftover_cgroups(run.pid()), ::testing::IsEmpty());
    EXPECT_TRUE(fs::is_empty(run.temp_dir()));
}

// A cell whose guest re-executes itself (`lacks = ["reexec"]` on its
// skip) runs under qemu-arm where the sandbox registers binfmt_misc, and
// passes; elsewhere it is a skip that says why, never a pass.
TEST_F(HostileRun, AReexecutingCellRunsUnderQemuWhereItCanAndSaysWhyWhereNot) {
    if (!has_qemu("arm") || !hostile_guest("reexec", "arm"))
        GTEST_SKIP() << "no qemu-arm or no arm cross compiler here";
    ASSERT_TRUE(scenario("reexec",
                         fmt::format(R"(description = "executes itself"
sources = ["main.c"]
arch = ["arm"]
backends = ["qemu"]
timeout = 60
args = ["{}"]
[expect]
stdout = ["child: argv[0]=renamed-by-parent marker={}", "parent: child exited with 3"]
[[skip]]
lacks = ["reexec"]
reason = "it executes itself"
)",
                                     marker, marker),
                         "reexec", {"arm"}));
    fs::path json = scratch.path() / "report.json";
    Crossrt run(run_args({"--json", json.string(), "reexec"}), scratch.path());
    ASSERT_TRUE(run.wait(kBound_s));
    auto results = nlohmann::json::parse(read_file(json)).at("results");
    ASSERT_EQ(results.size(), 1u) << run.out();
    const auto& cell = results.at(0);
    const std::string& binfmt = sandbox_info().at("binfmt_misc");
    if (binfmt.rfind("unavailable", 0) == 0) {
        EXPECT_EQ(cell.at("verdict"), "skip") << cell.dump();
        EXPECT_THAT(cell.at("detail").get<std::string>(),
                    HasSubstr("it executes itself: qemu-user follows a foreign-arch (arm) "
                              "guest's execve only through binfmt_misc, and "));
        EXPECT_THAT(cell.at("detail").get<std::string>(), HasSubstr(binfmt.substr(13)));
        EXPECT_EQ(run.status(), 0) << run.err();
    } else {
        EXPECT_EQ(cell.at("verdict"), "pass") << cell.dump();
        EXPECT_EQ(run.status(), 0) << run.out() << run.err();
    }
    EXPECT_TRUE(none_left(marker, kReapBound_s));
}

} // namespace
} // namespace crossrt::test
