// crossrt exec --signal-sweep on the runtime core's real binaries (from the
// target sub-builds; skipped when they were not built): the sweep over the
// foreign clobber loop has one point per instruction as llvm-objdump
// disassembles the symbol, the fixed runtime survives every point, on arm
// the no-gm-reload regression dies at some, one seed gives one table, and
// bad specs are errors that say what is wrong.
#include "kernel_test_support.h"
#include "scratch_dir.h"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <regex>
#include <sstream>
#include <sys/wait.h>

namespace {

using crossrt::kernel::test::CommandOutput;
using crossrt::kernel::test::run_command;
using ::testing::HasSubstr;

namespace fs = std::filesystem;

const fs::path build_dir = CROSSRT_TEST_BUILD_DIR;
constexpr const char* kLoop = "foreign_clobber_loop";

fs::path variant(const std::string& target, const std::string& name) {
    return build_dir / "targets" / target / "scenarios" / "signal-sweep-foreign" / name;
}

int exit_status(const CommandOutput& result) {
    return WIFEXITED(result.status) ? WEXITSTATUS(result.status) : -1;
}

struct Sweep {
    int status = -1;
    std::string out; // stdout: the table and the verdict
    std::string err;
};

Sweep sweep(const fs::path& binary, const std::string& spec, const std::string& extra = "") {
    crossrt::test::ScratchDir dir;
    fs::path err = dir.path() / "stderr";
    CommandOutput result =
        run_command(fmt::format("{} exec --timeout 60 --signal-sweep {} {} -- {} 2>{}",
                                CROSSRT_TEST_BINARY, spec, extra, binary.string(), err.string()));
    return {exit_status(result), result.out, crossrt::test::read_file(err)};
}

// The table's point rows: "  0x10a30   foreign_clobber_loop ...".
std::vector<std::string> point_rows(const std::string& table) {
    std::vector<std::string> rows;
    std::istringstream lines(table);
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with("  0x") && line.find("never reached") == std::string::npos)
            rows.push_back(line);
    }
    return rows;
}

// The symbol's instructions as llvm-objdump (not the harness's Capstone)
// disassembles them.
int objdump_instructions(const fs::path& binary, const std::string& symbol) {
    CommandOutput result = run_command(fmt::format(
        "llvm-objdump -d --no-show-raw-insn --disassemble-symbols={} {}", symbol, binary.string()));
    if (exit_status(result) != 0)
        return -1;
    std::regex instruction(R"(^\s*[0-9a-f]+:\s+\S)");
    int count = 0;
    std::istringstream lines(result.out);
    for (std::string line; std::getline(lines, line);)
        count += std::regex_search(line, instruction) ? 1 : 0;
    return count;
}

class SignalSweepTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (!fs::exists(variant(GetParam(), "fixed")))
            GTEST_SKIP() << "signal-sweep-foreign not built for " << GetParam();
    }
};

TEST_P(SignalSweepTest, EveryInstructionOfTheLoopIsAPointAndTheFixedRuntimeSurvivesEach) {
    fs::path binary = variant(GetParam(), "fixed");
    int instructions = objdump_instructions(binary, kLoop);
    ASSERT_GT(instructions, 5) << "llvm-objdump found no " << kLoop << " in " << binary;
    Sweep result = sweep(binary, fmt::format("SIGUSR1@{}", kLoop));
    ASSERT_EQ(result.status, 0) << result.out << result.err;
    std::vector<std::string> rows = point_rows(result.out);
    EXPECT_EQ(rows.size(), static_cast<std::size_t>(instructions)) << result.out;
    for (const std::string& row : rows)
        EXPECT_THAT(row, HasSubstr("pass (exit 0)")) << result.out;
    EXPECT_THAT(result.out, HasSubstr(fmt::format("covered {0} of {0} instructions; {0} of {0} "
                                                  "points pass",
                                                  instructions)));
    // The instruction column is Capstone's: the loop's first one is shown.
    EXPECT_THAT(rows.front(), HasSubstr(GetParam().starts_with("arm") ? "movw" : "mov"));
    std::cout << result.out;
}

TEST_P(SignalSweepTest, OneSeedOneTable) {
    fs::path binary = variant(GetParam(), "fixed");
    Sweep first = sweep(binary, fmt::format("SIGUSR1@{}", kLoop), "--seed 7 --sweep-parallel 2");
    Sweep second = sweep(binary, fmt::format("SIGUSR1@{}", kLoop), "--seed 7");
    ASSERT_EQ(first.status, 0) << first.out << first.err;
    EXPECT_EQ(first.out, second.out);
}

TEST_P(SignalSweepTest, ARangeOfSymbolsIsTheSameRegion) {
    fs::path binary = variant(GetParam(), "fixed");
    Sweep range = sweep(binary, "SIGUSR1@foreign_clobber_begin-foreign_clobber_end");
    ASSERT_EQ(range.status, 0) << range.out << range.err;
    Sweep symbol = sweep(binary, fmt::format("SIGUSR1@{}", kLoop));
    EXPECT_EQ(point_rows(range.out).size(), point_rows(symbol.out).size());
}

TEST_P(SignalSweepTest, BadSpecsAreErrorsThatSayWhatIsWrong) {
    fs::path binary = variant(GetParam(), "fixed");
    Sweep unknown = sweep(binary, "SIGUSR1@no_such_function");
    EXPECT_EQ(unknown.status, 2);
    EXPECT_THAT(unknown.err, HasSubstr("has no symbol 'no_such_function'"));

    Sweep empty = sweep(binary, "SIGUSR1@0x2000-0x1000");
    EXPECT_EQ(empty.status, 2);
    EXPECT_THAT(empty.err, HasSubstr("the range is empty"));

    Sweep outside = sweep(binary, "SIGUSR1@0x10-0x20");
    EXPECT_EQ(outside.status, 2);
    EXPECT_THAT(outside.err, HasSubstr("is not inside one executable segment"));

    // A function the program has but never calls (rt::throw_). Without a
    // signal the program spins in its foreign loop: the injection ends it.
    Sweep never = sweep(binary, "SIGUSR1@_ZN2rt6throw_EPKc", "--inject SIGUSR1@2000000");
    EXPECT_EQ(never.status, 2) << never.out << never.err;
    EXPECT_THAT(never.out, HasSubstr("error: the run never reached _ZN2rt6throw_EPKc"));
    EXPECT_THAT(never.out, HasSubstr("(it ended: exit 0)"));
}

INSTANTIATE_TEST_SUITE_P(Targets, SignalSweepTest,
                         ::testing::Values("arm-linux", "amd64-linux", "386-linux", "arm-netbsd"),
                         [](const auto& param) {
                             std::string name = param.param;
                             name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
                             return name;
                         });

// On arm the regression dies where r9/r10 hold foreign garbage; the table
// names those points.
TEST(SignalSweepRegression, NoGmReloadDiesAtPointsOfTheLoopOnArm) {
    fs::path binary = variant("arm-linux", "regress-no-gm-reload");
    if (!fs::exists(binary))
        GTEST_SKIP() << "signal-sweep-foreign not built for arm-linux";
    Sweep result = sweep(binary, fmt::format("SIGUSR1@{}", kLoop));
    EXPECT_EQ(result.status, 1) << result.out << result.err;
    int died = 0;
    for (const std::string& row : point_rows(result.out))
        died += row.find("fail (signal SIGSEGV (11))") != std::string::npos ? 1 : 0;
    EXPECT_GT(died, 0) << result.out;
    std::cout << result.out;
}

} // namespace
