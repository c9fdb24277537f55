#include "scenario/matrix.h"
#include "test_support.h"

#include <csignal>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crossrt {
namespace {

using test::error_strings;
using test::parse;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const char* const full_manifest = R"(description = "every key"
sources = ["main.cc", "helper.cc"]
arch = ["arm", "386"]
os = ["linux", "netbsd"]
backends = ["qemu"]
timeout = 2.5
args = ["--mode", "x"]
env = { KEY = "value", OTHER = "2" }

[expect]
exit = 3
stdout = ["first", { regex = "ok [0-9]+" }, { absent = "panic" }, { contains = "last" }]
stderr = ["warn"]

[[skip]]
arch = ["386"]
os = ["linux"]
backend = ["qemu"]
reason = "not yet"

[[regress]]
name = "no-lr"
define = "RT_REGRESS_GOSTARTCALL_NO_LR"
symptom = "goroutine return jumps to pc 0"
arch = ["arm"]
[regress.expect]
signal = "SIGSEGV"
stderr = [{ absent = "runtime: cgo callback" }]
[[regress.skip]]
backend = ["qemu"]
reason = "qemu hides it"

[[regress]]
name = "hang"
define = "RT_REGRESS_HANG"
symptom = "hangs"
[regress.expect]
verdict = "timeout"
)";

TEST(Manifest, ParsesEveryKey) {
    auto result = parse(full_manifest);
    ASSERT_TRUE(result.manifest) << ::testing::PrintToString(error_strings(result));
    const Manifest& m = *result.manifest;
    EXPECT_EQ(m.name, "x");
    EXPECT_EQ(m.description, "every key");
    EXPECT_THAT(m.sources, ElementsAre("main.cc", "helper.cc"));
    EXPECT_THAT(m.arch, ElementsAre("arm", "386"));
    EXPECT_THAT(m.os, ElementsAre("linux", "netbsd"));
    EXPECT_THAT(m.backends, ElementsAre("qemu"));
    EXPECT_DOUBLE_EQ(m.timeout_s, 2.5);
    EXPECT_THAT(m.args, ElementsAre("--mode", "x"));
    EXPECT_EQ(m.env.at("KEY"), "value");
    EXPECT_EQ(m.env.at("OTHER"), "2");
    EXPECT_EQ(m.expect.exit_code, 3);
    ASSERT_EQ(m.expect.stdout_checks.size(), 4u);
    EXPECT_EQ(m.expect.stdout_checks[0].kind, StreamCheck::Kind::contains);
    EXPECT_EQ(m.expect.stdout_checks[1].kind, StreamCheck::Kind::regex);
    EXPECT_EQ(m.expect.stdout_checks[1].text, "ok [0-9]+");
    EXPECT_EQ(m.expect.stdout_checks[2].kind, StreamCheck::Kind::absent);
    EXPECT_EQ(m.expect.stdout_checks[3].kind, StreamCheck::Kind::contains);
    EXPECT_EQ(m.expect.stdout_checks[3].text, "last");
    ASSERT_EQ(m.expect.stderr_checks.size(), 1u);
    ASSERT_EQ(m.skips.size(), 1u);
    EXPECT_THAT(m.skips[0].arch, ElementsAre("386"));
    EXPECT_THAT(m.skips[0].os, ElementsAre("linux"));
    EXPECT_THAT(m.skips[0].backend, ElementsAre("qemu"));
    EXPECT_EQ(m.skips[0].reason, "not yet");
    ASSERT_EQ(m.regress.size(), 2u);
    const RegressVariant& no_lr = m.regress[0];
    EXPECT_EQ(no_lr.variant(), "regress-no-lr");
    EXPECT_EQ(no_lr.define, "RT_REGRESS_GOSTARTCALL_NO_LR");
    EXPECT_EQ(no_lr.symptom, "goroutine return jumps to pc 0");
    EXPECT_THAT(no_lr.arch, ElementsAre("arm"));
    EXPECT_EQ(no_lr.expect.signal, 11);
    ASSERT_EQ(no_lr.expect.stderr_checks.size(), 1u);
    ASSERT_EQ(no_lr.skips.size(), 1u);
    EXPECT_EQ(no_lr.skips[0].reason, "qemu hides it");
    // A variant without arch applies to the scenario's arches.
    EXPECT_THAT(m.regress[1].arch, ElementsAre("arm", "386"));
    EXPECT_EQ(m.regress[1].expect.verdict, EndKind::timeout);
}

TEST(Manifest, Defaults) {
    auto result = parse("description = \"d\"\nsources = [\"a.cc\"]\n");
    ASSERT_TRUE(result.manifest);
    const Manifest& m = *result.manifest;
    EXPECT_THAT(m.arch, ElementsAre("amd64", "386", "arm")); // every arch of the table, in order
    EXPECT_THAT(m.os, ElementsAre("linux"));
    EXPECT_THAT(m.backends, ElementsAre("native", "qemu", "unicorn")); // every one known
    EXPECT_DOUBLE_EQ(m.timeout_s, 10.0);
    EXPECT_FALSE(m.seed);
    EXPECT_EQ(m.seeds, 1);
    EXPECT_TRUE(m.inject.empty());
    EXPECT_FALSE(m.expect.exit_code);
    EXPECT_EQ(m.expect.expected_exit(), 0);
    EXPECT_TRUE(m.regress.empty());
}

TEST(Manifest, UnicornSeedAndInjections) {
    auto result = parse("description = \"d\"\nsources = [\"a.cc\"]\nseed = 42\n"
                        "inject = [\"SIGUSR1@100000:1\", \"SIGPROF@5\"]\n"
                        "[expect]\nverdict = \"deadlock\"\n");
    ASSERT_TRUE(result.manifest) << error_strings(result)[0];
    EXPECT_EQ(result.manifest->seed, 42u);
    const std::vector<Injection>& inject = result.manifest->inject;
    ASSERT_EQ(inject.size(), 2u);
    EXPECT_EQ(inject[0].signo, SIGUSR1);
    EXPECT_EQ(inject[0].at, 100000u);
    EXPECT_EQ(inject[0].lwp, 1);
    EXPECT_EQ(inject[1].signo, SIGPROF);
    EXPECT_EQ(inject[1].at, 5u);
    EXPECT_EQ(inject[1].lwp, 0);
    EXPECT_EQ(result.manifest->expect.verdict, EndKind::deadlock);
}

TEST(Manifest, AnExhaustedInstructionBudgetCanBeExpected) {
    auto result = parse("description = \"d\"\nsources = [\"a.cc\"]\n"
                        "[expect]\nverdict = \"budget\"\n");
    ASSERT_TRUE(result.manifest) << error_strings(result)[0];
    EXPECT_EQ(result.manifest->expect.verdict, EndKind::budget);
}

TEST(Manifest, BadSeedAndInjectionsAreRefusedWithPositions) {
    auto result = parse("description = \"d\"\nsources = [\"a.cc\"]\nseed = -1\n"
                        "inject = [\"SIGUSR1@x\", \"SIGNOPE@3\", \"SIGUSR1@3:0\"]\n");
    EXPECT_FALSE(result.manifest);
    auto errors = error_strings(result);
    ASSERT_EQ(errors.size(), 4u);
    EXPECT_THAT(errors[0], HasSubstr(":3:8: key 'seed' must not be negative"));
    EXPECT_THAT(errors[1], HasSubstr(":4:11: key 'inject[0]': 'SIGUSR1@x' is not SIG@N"));
    EXPECT_THAT(errors[2], HasSubstr("'inject[1]'"));
    EXPECT_THAT(errors[3], HasSubstr("'inject[2]'"));
}

TEST(Manifest, SeedSweep) {
    auto result = parse("description = \"d\"\nsources = [\"a.cc\"]\nseed = 7\nseeds = 64\n");
    ASSERT_TRUE(result.manifest) << error_strings(result)[0];
    EXPECT_EQ(result.manifest->seeds, 64);
}

TEST(Manifest, BadSeedSweepIsRefusedWithItsPosition) {
    for (const char* bad : {"seeds = 0\n", "seeds = 100001\n", "seeds = \"many\"\n"}) {
        auto result = parse(std::string("description = \"d\"\nsources = [\"a.cc\"]\n") + bad);
        EXPECT_FALSE(result.manifest) << bad;
        auto errors = error_strings(result);
        ASSERT_EQ(errors.size(), 1u) << bad;
        EXPECT_THAT(errors[0], HasSubstr(":3:9: key 'seeds'")) << bad;
    }
}

TEST(Manifest, CpusAreOneToSixtyFour) {
    auto result = parse("description = \"d\"\nsources = [\"a.cc\"]\ncpus = 8\n");
    ASSERT_TRUE(result.manifest) << error_strings(result)[0];
    EXPECT_EQ(result.manifest->cpus, 8);
    auto unset = parse("description = \"d\"\nsources = [\"a.cc\"]\n");
    ASSERT_TRUE(unset.manifest);
    EXPECT_FALSE(unset.manifest->cpus); // the kernel's default
    for (const char* bad : {"cpus = 0\n", "cpus = 65\n", "cpus = \"four\"\n"}) {
        auto refused = parse(std::string("description = \"d\"\nsources = [\"a.cc\"]\n") + bad);
        EXPECT_FALSE(refused.manifest) << bad;
        auto errors = error_strings(refused);
        ASSERT_EQ(errors.size(), 1u) << bad;
        EXPECT_THAT(errors[0], HasSubstr(":3:8: key 'cpus'")) << bad;
    }
}

TEST(Manifest, MountsAndCwd) {
    auto result = parse("description = \"d\"\nsources = [\"a.cc\"]\n"
                        "mounts = [\"testdata:/data:ro\", \"/abs:/w\"]\ncwd = \"/data\"\n");
    ASSERT_TRUE(result.manifest) << error_strings(result)[0];
    ASSERT_EQ(result.manifest->mounts.size(), 2u);
    EXPECT_EQ(result.manifest->mounts[0].guest, "/data");
    EXPECT_TRUE(result.manifest->mounts[0].read_only);
    EXPECT_EQ(result.manifest->mounts[1].host, "/abs");
    EXPECT_EQ(result.manifest->cwd, "/data");
    for (const char* bad : {"mounts = [\"nocolon\"]\n", "mounts = [\"a:relative\"]\n",
                            "mounts = [3]\n", "cwd = \"relative\"\n"}) {
        auto refused = parse(std::string("description = \"d\"\nsources = [\"a.cc\"]\n") + bad);
        EXPECT_FALSE(refused.manifest) << bad;
        auto errors = error_strings(refused);
        ASSERT_EQ(errors.size(), 1u) << bad;
        EXPECT_THAT(errors[0], HasSubstr(":3:")) << bad;
        EXPECT_THAT(errors[0], ::testing::AnyOf(HasSubstr("'mounts"), HasSubstr("'cwd'"))) << bad;
    }
}

TEST(Manifest, IntegerTimeoutAndSignalNumber) {
    auto result = parse("description = \"d\"\nsources = [\"a.cc\"]\ntimeout = 3\n"
                        "[expect]\nsignal = 6\n");
    ASSERT_TRUE(result.manifest);
    EXPECT_DOUBLE_EQ(result.manifest->timeout_s, 3.0);
    EXPECT_EQ(result.manifest->expect.signal, 6);
}

// inf passed the old "> 0" check and its deadline wrapped into the past:
// "timed out after 0.0s".
TEST(Manifest, TimeoutMustBeAboveZeroFiniteAndAtMostAWeek) {
    for (const char* bad : {"inf", "nan", "-inf", "1e10", "604800.5", "0", "-1"}) {
        auto result = parse(std::string("description = \"d\"\nsources = [\"a.cc\"]\ntimeout = ") +
                            bad + "\n");
        EXPECT_FALSE(result.manifest) << bad;
        EXPECT_THAT(error_strings(result),
                    ElementsAre(HasSubstr(":3:11: key 'timeout' must be a number of seconds above "
                                          "0 and at most 604800 (one week), not ")))
            << bad;
    }
    auto week = parse("description = \"d\"\nsources = [\"a.cc\"]\ntimeout = 604800\n");
    ASSERT_TRUE(week.manifest) << error_strings(week)[0];
    EXPECT_DOUBLE_EQ(week.manifest->timeout_s, 604800.0);
}

TEST(Manifest, AnInjectionCountPastSixtyFourBitsIsRefused) {
    auto result = parse("description = \"d\"\nsources = [\"a.cc\"]\n"
                        "inject = [\"SIGUSR1@18446744073709551616\", \"SIGUSR1@5:2147483648\"]\n");
    auto errors = error_strings(result);
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_THAT(errors[0],
                HasSubstr("key 'inject[0]': 'SIGUSR1@18446744073709551616' is not SIG@N"));
    EXPECT_THAT(errors[1], HasSubstr("key 'inject[1]'"));
}

TEST(Manifest, UnknownKeyNamesPositionAndPath) {
    auto result = parse("description = \"d\"\nsources = [\"a.cc\"]\n\n\n\n[expect]\nsigal = 3\n");
    EXPECT_FALSE(result.manifest);
    EXPECT_THAT(error_strings(result),
                ElementsAre("scenarios/x/scenario.toml:7:1: key 'expect.sigal' is not a "
                            "manifest key"));
}

TEST(Manifest, WrongTypeNamesTheValuePosition) {
    auto result = parse("description = \"d\"\nsources = [\"a.cc\"]\ntimeout = \"10\"\n");
    EXPECT_THAT(error_strings(result),
                ElementsAre("scenarios/x/scenario.toml:3:11: key 'timeout' must be a number, "
                            "not a string"));
}

TEST(Manifest, MissingRequiredKeys) {
    auto result = parse("arch = [\"arm\"]\n");
    EXPECT_THAT(error_strings(result), ElementsAre(HasSubstr("key 'description' is required"),
                                                   HasSubstr("key 'sources' is required")));
}

TEST(Manifest, UnknownNames) {
    auto result = parse("description = \"d\"\nsources = [\"a.cc\"]\narch = [\"arm\", \"mips\"]\n"
                        "os = [\"plan9\"]\nbackends = [\"bochs\"]\n");
    EXPECT_THAT(error_strings(result),
                ElementsAre(HasSubstr(":3:16: key 'arch[1]': unknown arch 'mips'"),
                            HasSubstr(":4:7: key 'os[0]': unknown os 'plan9'"),
                            HasSubstr(":5:13: key 'backends[0]': unknown backend 'bochs'")));
}

TEST(Manifest, BadRegex) {
    auto result = parse("description = \"d\"\nsources = [\"a.cc\"]\n[expect]\n"
                        "stderr = [\"x\", { regex = \"(unclosed\" }]\n");
    EXPECT_THAT(error_strings(result),
                ElementsAre(HasSubstr(":4:26: key 'expect.stderr[1].regex': bad regex "
                                      "\"(unclosed\"")));
}

TEST(Manifest, StreamCheckTableNeedsExactlyOneKind) {
    auto result = parse("description = \"d\"\nsources = [\"a.cc\"]\n[expect]\n"
                        "stdout = [{ contains = \"a\", absent = \"b\" }, {}, 3, { rx = \"c\" }]\n");
    EXPECT_THAT(error_strings(result),
                ElementsAre(HasSubstr("expect.stdout[0].absent': a check has only one"),
                            HasSubstr("key 'expect.stdout[1]' needs one of"),
                            HasSubstr("key 'expect.stdout[2]' must be a string or a table, not "
                                      "an integer"),
                            HasSubstr(":4:52: key 'expect.stdout[3]' needs one of"),
                            HasSubstr(":4:54: key 'expect.stdout[3].rx' is not a manifest key")));
}

TEST(Manifest, StatusKeysAreExclusiveAndValidated) {
    auto result = parse("description = \"d\"\nsources = [\"a.cc\"]\n[expect]\n"
                        "exit = 300\nsignal = \"SIGNOPE\"\nverdict = \"deadlocked\"\n");
    EXPECT_THAT(error_strings(result),
                ElementsAre(HasSubstr(":4:8: key 'expect.exit' must be an exit status"),
                            HasSubstr(":5:10: key 'expect.signal': give only one of"),
                            HasSubstr(":5:10: key 'expect.signal' is not a signal"),
                            HasSubstr(":6:11: key 'expect.verdict': give only one of"),
                            HasSubstr(":6:11: key 'expect.verdict': unknown verdict "
                                      "'deadlocked'")));
}

TEST(Manifest, RegressErrors) {
    auto result = parse(R"(description = "d"
sources = ["a.cc"]
[[regress]]
name = "a"
define = "X"
symptom = "s"
[regress.expect]
exit = 1
[[regress]]
name = "a"
define = "1X"
[[regress]]
name = "bad name"
define = "Y"
symptom = "s"
colour = "red"
[regress.expect]
[[regress.skip]]
arch = ["arm"]
)");
    EXPECT_THAT(error_strings(result),
                ElementsAre(HasSubstr(":9:1: key 'regress[1].symptom' is required"),
                            HasSubstr(":9:1: key 'regress[1].expect' is required"),
                            HasSubstr(":10:8: key 'regress[1].name': regress variant 'a' is "
                                      "defined twice"),
                            HasSubstr(":11:10: key 'regress[1].define': '1X' is not a C "
                                      "identifier"),
                            HasSubstr(":13:8: key 'regress[2].name': 'bad name' may use only"),
                            HasSubstr(":16:1: key 'regress[2].colour' is not a manifest key"),
                            HasSubstr(":18:1: key 'regress[2].skip[0].reason' is required")));
}

TEST(Manifest, SkipMustBeArrayOfTables) {
    auto result = parse("description = \"d\"\nsources = [\"a.cc\"]\nskip = \"no\"\n");
    EXPECT_THAT(error_strings(result),
                ElementsAre(HasSubstr(":3:8: key 'skip' must be an array of tables")));
}

TEST(Manifest, TomlSyntaxErrorHasPosition) {
    auto result = parse("description = \"d\"\nsources = [\"a.cc\"\n");
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].file, "scenarios/x/scenario.toml");
    EXPECT_GE(result.errors[0].line, 2u);
    EXPECT_FALSE(result.errors[0].message.empty());
}

TEST(Manifest, SourcesMustExistWhenADirIsGiven) {
    test::ScratchDir dir;
    test::write_file(dir.path() / "a.cc", "");
    auto result = parse("description = \"d\"\nsources = [\"a.cc\", \"gone.cc\"]\n", dir.path());
    EXPECT_THAT(error_strings(result),
                ElementsAre(HasSubstr(":2:20: key 'sources[1]': 'gone.cc' does not exist")));
    EXPECT_THAT(error_strings(parse("description = \"d\"\nsources = []\n", dir.path())),
                ElementsAre(HasSubstr("key 'sources' must name at least one source file")));
}

TEST(Manifest, LoadScenariosReportsEveryFileAndSortsByName) {
    test::ScratchDir dir;
    test::write_file(dir.path() / "b" / "scenario.toml",
                     "description = \"b\"\nsources = [\"m.c\"]\n");
    test::write_file(dir.path() / "b" / "m.c", "");
    test::write_file(dir.path() / "a" / "scenario.toml",
                     "description = \"a\"\nsources = [\"m.c\"]\n");
    test::write_file(dir.path() / "a" / "m.c", "");
    test::write_file(dir.path() / "c" / "scenario.toml", "description = 1\nsources = [\"m.c\"]\n");
    test::write_file(dir.path() / "d" / "scenario.toml", "sources = [\"m.c\"]\nnope = 1\n");
    test::write_file(dir.path() / "c" / "m.c", "");
    test::write_file(dir.path() / "d" / "m.c", "");
    test::write_file(dir.path() / "not-a-scenario" / "README", "");
    ScenarioSet set = load_scenarios(dir.path(), test::test_targets(), {"native", "qemu"});
    ASSERT_EQ(set.manifests.size(), 2u);
    EXPECT_EQ(set.manifests[0].name, "a");
    EXPECT_EQ(set.manifests[1].name, "b");
    EXPECT_EQ(set.manifests[0].dir, dir.path() / "a");
    ASSERT_EQ(set.errors.size(), 3u); // c: a type error; d: no description, an unknown key
    EXPECT_THAT(set.errors[0].to_string(), HasSubstr("c/scenario.toml:1:15: key 'description' "
                                                     "must be a string, not an integer"));
    EXPECT_THAT(set.errors[1].file, HasSubstr("d/scenario.toml"));
}

TEST(Manifest, LoadScenariosMissingDirectory) {
    ScenarioSet set = load_scenarios("/nonexistent/crossrt", test::test_targets(), {"native"});
    ASSERT_EQ(set.errors.size(), 1u);
    EXPECT_THAT(set.errors[0].message, HasSubstr("does not exist"));
}

} // namespace
} // namespace crossrt

namespace crossrt {
namespace {

const char* const overrides_manifest = R"(description = "per-target symptoms"
sources = ["m.c"]
arch = ["amd64", "386", "arm"]
[expect]
exit = 2
stderr = ["return pc 0x0"]
[[expect.on]]
arch = ["amd64"]
signal = "SIGSEGV"
stderr = []
[[expect.on]]
arch = ["amd64"]
backend = ["qemu"]
stderr = ["qemu: uncaught target signal 11"]
)";

TEST(ManifestOverrides, ApplyOnlyToTheCellsTheySelect) {
    auto result = parse(overrides_manifest);
    ASSERT_TRUE(result.manifest) << ::testing::PrintToString(error_strings(result));
    const Expectation& base = result.manifest->expect;
    ASSERT_EQ(base.overrides.size(), 2u);

    Expectation on_386 = base.for_cell("386", "linux", "qemu");
    EXPECT_EQ(on_386.exit_code, 2);
    EXPECT_FALSE(on_386.signal);
    ASSERT_EQ(on_386.stderr_checks.size(), 1u);
    EXPECT_EQ(on_386.stderr_checks[0].text, "return pc 0x0");

    Expectation amd64_native = base.for_cell("amd64", "linux", "native");
    EXPECT_FALSE(amd64_native.exit_code); // the status group is replaced whole
    EXPECT_EQ(amd64_native.signal, 11);
    EXPECT_TRUE(amd64_native.stderr_checks.empty());

    Expectation amd64_qemu = base.for_cell("amd64", "linux", "qemu");
    EXPECT_EQ(amd64_qemu.signal, 11);               // from the first entry
    ASSERT_EQ(amd64_qemu.stderr_checks.size(), 1u); // the second entry, applied later
    EXPECT_EQ(amd64_qemu.stderr_checks[0].text, "qemu: uncaught target signal 11");
    EXPECT_TRUE(amd64_qemu.overrides.empty());
}

TEST(ManifestOverrides, ErrorsNamePositionAndKey) {
    auto result = parse(R"(description = "d"
sources = ["m.c"]
[expect]
exit = 0
[[expect.on]]
arch = ["sparc"]
[[expect.on]]
arch = ["arm"]
exit = 1
signal = "SIGSEGV"
[[expect.on]]
arch = ["arm"]
reason = "no"
)");
    EXPECT_FALSE(result.manifest);
    auto errors = error_strings(result);
    EXPECT_THAT(errors, ::testing::Contains(HasSubstr(":6:")));
    EXPECT_THAT(errors, ::testing::Contains(HasSubstr("key 'expect.on[0]' replaces nothing")));
    EXPECT_THAT(errors,
                ::testing::Contains(HasSubstr("give only one of exit, signal and verdict")));
    EXPECT_THAT(errors, ::testing::Contains(HasSubstr("key 'expect.on[2].reason'")));
}

} // namespace
} // namespace crossrt

namespace crossrt {
namespace {

TEST(ManifestXfail, ParsedAndSelectedPerCell) {
    auto result = parse(R"(description = "d"
sources = ["main.go"]
arch = ["amd64", "386"]
backends = ["qemu", "native"]
[[xfail]]
arch = ["386"]
backend = ["qemu"]
reason = "emulator bug"
)");
    ASSERT_TRUE(result.manifest) << ::testing::PrintToString(error_strings(result));
    EXPECT_TRUE(result.manifest->is_go());
    std::vector<Manifest> manifests{*result.manifest};
    auto cells = expand_matrix(manifests, test::test_targets(), nullptr);
    int marked = 0;
    for (const Cell& cell : cells) {
        bool should = cell.arch == "386" && cell.backend == "qemu";
        EXPECT_EQ(cell.xfail.has_value(), should) << cell.name;
        marked += cell.xfail ? 1 : 0;
    }
    EXPECT_EQ(marked, 1);
}

// `versions` selects by the emulator's version: the entry applies to a
// qemu cell only while its qemu-user satisfies it, and never to a cell
// whose emulator (or its version) is unknown.
TEST(ManifestXfail, VersionsSelectByTheEmulatorsVersion) {
    auto result = parse(R"(description = "d"
sources = ["main.go"]
arch = ["amd64", "386"]
backends = ["qemu", "native"]
[[xfail]]
arch = ["386"]
versions = ">=7.0, <8.0"
reason = "emulator bug before 8.0"
)");
    ASSERT_TRUE(result.manifest) << ::testing::PrintToString(error_strings(result));
    std::vector<Manifest> manifests{*result.manifest};
    for (const char* installed : {"7.2.0", "8.0", "10.0.2", ""}) {
        EmulatorVersion version = [&](const std::string& backend,
                                      const Target&) -> std::optional<Version> {
            if (backend != "qemu" || *installed == '\0')
                return std::nullopt;
            return Version::parse(installed);
        };
        auto cells = expand_matrix(manifests, test::test_targets(), nullptr, version);
        for (const Cell& cell : cells) {
            bool should =
                cell.arch == "386" && cell.backend == "qemu" && std::string(installed) == "7.2.0";
            EXPECT_EQ(cell.xfail.has_value(), should) << cell.name << " with qemu " << installed;
        }
    }
}

// `lacks` selects the cells whose backend cannot do something here (a
// qemu-arm guest's execve of itself without binfmt_misc), and the reason
// shown says why, after the entry's own; a cell that can is not selected.
TEST(ManifestSkip, LacksSelectsByWhatTheCellCannotDoAndSaysWhy) {
    auto result = parse(R"(description = "d"
sources = ["main.go"]
arch = ["amd64", "arm"]
backends = ["qemu", "unicorn"]
[[skip]]
lacks = ["reexec"]
reason = "it executes itself"
[[xfail]]
backend = ["unicorn"]
lacks = ["reexec"]
reason = "unused"
)");
    ASSERT_TRUE(result.manifest) << ::testing::PrintToString(error_strings(result));
    std::vector<Manifest> manifests{*result.manifest};
    MissingCapability missing = [](const std::string& backend, const Target& target,
                                   const std::string& capability) -> std::optional<std::string> {
        EXPECT_EQ(capability, "reexec");
        if (backend == "qemu" && target.arch == "arm")
            return "no binfmt_misc here";
        return std::nullopt;
    };
    auto cells = expand_matrix(manifests, test::test_targets(), nullptr, {}, missing);
    int skipped = 0;
    for (const Cell& cell : cells) {
        EXPECT_FALSE(cell.xfail) << cell.name;
        if (cell.arch == "arm" && cell.backend == "qemu") {
            EXPECT_EQ(cell.skip, "it executes itself: no binfmt_misc here") << cell.name;
            ++skipped;
        } else {
            EXPECT_FALSE(cell.skip) << cell.name << ": " << cell.skip.value_or("");
        }
    }
    EXPECT_EQ(skipped, 1);
    // Without a way to ask, nothing is lacking: the rule selects nothing.
    for (const Cell& cell : expand_matrix(manifests, test::test_targets(), nullptr))
        EXPECT_FALSE(cell.skip) << cell.name;
}

TEST(ManifestSkip, AnUnknownCapabilityIsNamedWithItsPosition) {
    auto result = parse(R"(description = "d"
sources = ["main.go"]
[[skip]]
lacks = ["telepathy"]
reason = "r"
)");
    EXPECT_FALSE(result.manifest);
    EXPECT_THAT(error_strings(result),
                ElementsAre(HasSubstr(":4:10: key 'skip[0].lacks[0]': unknown capability "
                                      "'telepathy' (known: reexec)")));
}

TEST(ManifestXfail, BadVersionsAreNamedWithTheirPosition) {
    for (const char* bad : {"versions = \"8.0\"", "versions = \"<eight\"", "versions = \"<\""}) {
        auto result = parse(std::string("description = \"d\"\nsources = [\"main.go\"]\n"
                                        "[[xfail]]\nreason = \"r\"\n") +
                            bad + "\n");
        EXPECT_FALSE(result.manifest) << bad;
        auto errors = error_strings(result);
        ASSERT_EQ(errors.size(), 1u) << bad;
        EXPECT_THAT(errors[0], HasSubstr(":5:12: key 'xfail[0].versions'")) << bad;
    }
}

TEST(Version, ParseCompareAndFindInOutput) {
    EXPECT_EQ(compare(*Version::parse("10.0.2"), *Version::parse("8.0")), 1);
    EXPECT_EQ(compare(*Version::parse("7.2"), *Version::parse("7.2.0")), 0);
    EXPECT_EQ(compare(*Version::parse("7.2"), *Version::parse("7.10")), -1);
    EXPECT_FALSE(Version::parse("7..2"));
    EXPECT_FALSE(Version::parse("v7"));
    auto found = version_in("qemu-i386 version 10.0.2 (Debian 1:10.0.2+ds-2+deb13u1~bpo12+1)");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->text(), "10.0.2");
    EXPECT_EQ(version_in("qemu-x86_64 version 7.2.17 (Debian 1:7.2+dfsg-7+deb12u18)")->text(),
              "7.2.17");
    EXPECT_FALSE(version_in("no version here, only x86_64 and 2003-2025"));
    std::string why;
    auto range = VersionConstraint::parse(">=7.0, <8.0", why);
    ASSERT_TRUE(range) << why;
    EXPECT_TRUE(range->satisfied_by(*Version::parse("7.2.17")));
    EXPECT_FALSE(range->satisfied_by(*Version::parse("8.0")));
    EXPECT_FALSE(range->satisfied_by(*Version::parse("6.2")));
    EXPECT_TRUE(VersionConstraint::parse("=10.0.2", why)->satisfied_by(*Version::parse("10.0.2")));
    EXPECT_FALSE(VersionConstraint::parse("~8", why));
    EXPECT_THAT(why, HasSubstr("'~8' is not a comparison"));
}

TEST(ManifestXfail, ReasonRequiredAndGoRules) {
    auto result = parse(R"(description = "d"
sources = ["main.go", "helper.cc"]
[[xfail]]
arch = ["386"]
[[regress]]
name = "x"
define = "RT_X"
symptom = "s"
[regress.expect]
exit = 1
)");
    EXPECT_FALSE(result.manifest);
    auto errors = error_strings(result);
    EXPECT_THAT(errors, ::testing::Contains(HasSubstr("xfail[0]")));
    EXPECT_THAT(errors, ::testing::Contains(HasSubstr(":2:11: key 'sources': Go (*.go) and "
                                                      "runtime-core sources cannot be mixed")));
    EXPECT_THAT(errors, ::testing::Contains(HasSubstr("a Go program has no regression variants")));
}

} // namespace
} // namespace crossrt
