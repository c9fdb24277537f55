#include "report/ctest.h"
#include "scenario/matrix.h"
#include "scenario/plan.h"
#include "scenario/selection.h"
#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crossrt {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<Manifest> manifests_of(std::initializer_list<const char*> texts) {
    std::vector<Manifest> manifests;
    int index = 0;
    for (const char* text : texts) {
        auto result = test::parse(text);
        EXPECT_TRUE(result.manifest) << ::testing::PrintToString(test::error_strings(result));
        result.manifest->name = std::string("s") + std::to_string(index++);
        result.manifest->dir = "/src/scenarios/" + result.manifest->name;
        manifests.push_back(*result.manifest);
    }
    return manifests;
}

std::vector<std::string> names(const std::vector<Cell>& cells) {
    std::vector<std::string> list;
    for (const Cell& cell : cells)
        list.push_back(cell.name + (cell.skip ? " [skip: " + *cell.skip + "]" : ""));
    return list;
}

std::vector<std::string> names(const std::vector<const Cell*>& cells) {
    std::vector<std::string> list;
    for (const Cell* cell : cells)
        list.push_back(cell->name);
    return list;
}

const char* const regress_manifest = R"(description = "d"
sources = ["main.cc"]
arch = ["amd64", "arm"]
backends = ["qemu", "native"]
[[skip]]
arch = ["amd64"]
backend = ["qemu"]
reason = "no need"
[[regress]]
name = "no-lr"
define = "RT_REGRESS_NO_LR"
symptom = "s"
arch = ["arm"]
[regress.expect]
signal = "SIGSEGV"
[[regress]]
name = "b"
define = "RT_B"
symptom = "s"
[regress.expect]
exit = 2
[[regress.skip]]
backend = ["native"]
reason = "native hides b"
)";

BackendSkip no_arm_native() {
    return [](const std::string& backend, const Target& target) -> std::optional<std::string> {
        if (backend == "native" && target.arch == "arm")
            return "host (amd64) cannot execute arm";
        return std::nullopt;
    };
}

TEST(Matrix, ExpandsNamesAndSkips) {
    auto manifests = manifests_of({regress_manifest});
    auto cells = expand_matrix(manifests, test::test_targets(), no_arm_native());
    EXPECT_THAT(names(cells),
                ElementsAre("s0/amd64-linux/native/fixed",
                            "s0/amd64-linux/native/regress-b [skip: native hides b]",
                            "s0/amd64-linux/native/regress-no-lr [skip: RT_REGRESS_NO_LR does not "
                            "apply to amd64]",
                            "s0/amd64-linux/qemu/fixed [skip: no need]",
                            "s0/amd64-linux/qemu/regress-b [skip: no need]",
                            "s0/amd64-linux/qemu/regress-no-lr [skip: no need]",
                            "s0/arm-linux/native/fixed [skip: host (amd64) cannot execute arm]",
                            "s0/arm-linux/native/regress-b [skip: native hides b]",
                            "s0/arm-linux/native/regress-no-lr [skip: host (amd64) cannot "
                            "execute arm]",
                            "s0/arm-linux/qemu/fixed", "s0/arm-linux/qemu/regress-b",
                            "s0/arm-linux/qemu/regress-no-lr"));
    const Cell& arm_no_lr = cells.back();
    EXPECT_EQ(arm_no_lr.scenario, "s0");
    EXPECT_EQ(arm_no_lr.arch, "arm");
    EXPECT_EQ(arm_no_lr.os, "linux");
    EXPECT_EQ(arm_no_lr.backend, "qemu");
    EXPECT_EQ(arm_no_lr.variant, "regress-no-lr");
    ASSERT_NE(arm_no_lr.regress, nullptr);
    EXPECT_EQ(arm_no_lr.expectation().signal, 11);
    EXPECT_EQ(cells.front().regress, nullptr);
}

TEST(Matrix, OnlyTargetsInTheTableAndTheManifest) {
    auto manifests = manifests_of({"description = \"d\"\nsources = [\"m.c\"]\narch = [\"arm\"]\n"
                                   "os = [\"netbsd\"]\nbackends = [\"unicorn\"]\n"});
    auto cells = expand_matrix(manifests, test::test_targets(), nullptr);
    EXPECT_THAT(names(cells), ElementsAre("s0/arm-netbsd/unicorn/fixed"));
}

TEST(Matrix, SortedAcrossScenarios) {
    auto manifests = manifests_of({"description = \"d\"\nsources = [\"m.c\"]\narch = [\"arm\"]\n"
                                   "backends = [\"qemu\"]\n",
                                   "description = \"d\"\nsources = [\"m.c\"]\narch = [\"amd64\"]\n"
                                   "backends = [\"qemu\"]\n"});
    manifests[0].name = "zeta";
    manifests[1].name = "alpha";
    auto cells = expand_matrix(manifests, test::test_targets(), nullptr);
    EXPECT_THAT(names(cells),
                ElementsAre("alpha/amd64-linux/qemu/fixed", "zeta/arm-linux/qemu/fixed"));
}

TEST(Matrix, LeavesOutWhatNoHostCouldRun) {
    auto manifests = manifests_of({regress_manifest});
    auto cells = expand_matrix(manifests, test::test_targets(), no_arm_native());
    std::size_t expanded = cells.size();
    auto left_out = leave_out_impossible(
        cells, [](const std::string& backend, const Target& target) -> std::optional<std::string> {
            if (backend == "native" && target.arch == "arm")
                return "no host executes arm";
            return std::nullopt;
        });
    // Every native arm cell goes, whatever its own skip said; the scenario's
    // and the variant's skips of the others stay cells.
    EXPECT_THAT(names(left_out),
                ElementsAre("s0/arm-linux/native/fixed [skip: no host executes arm]",
                            "s0/arm-linux/native/regress-b [skip: no host executes arm]",
                            "s0/arm-linux/native/regress-no-lr [skip: no host executes arm]"));
    EXPECT_EQ(cells.size() + left_out.size(), expanded);
    EXPECT_THAT(names(cells),
                ElementsAre("s0/amd64-linux/native/fixed",
                            "s0/amd64-linux/native/regress-b [skip: native hides b]",
                            "s0/amd64-linux/native/regress-no-lr [skip: RT_REGRESS_NO_LR does not "
                            "apply to amd64]",
                            "s0/amd64-linux/qemu/fixed [skip: no need]",
                            "s0/amd64-linux/qemu/regress-b [skip: no need]",
                            "s0/amd64-linux/qemu/regress-no-lr [skip: no need]",
                            "s0/arm-linux/qemu/fixed", "s0/arm-linux/qemu/regress-b",
                            "s0/arm-linux/qemu/regress-no-lr"));
}

class SelectionTest : public ::testing::Test {
protected:
    std::vector<Manifest> manifests = manifests_of({regress_manifest});
    std::vector<Cell> cells = expand_matrix(manifests, test::test_targets(), nullptr);
};

TEST_F(SelectionTest, PrefixGlobAndFilters) {
    CellFilter filter;
    filter.patterns = {"s0/arm-linux/qemu"};
    EXPECT_THAT(names(select_cells(cells, filter)),
                ElementsAre("s0/arm-linux/qemu/fixed", "s0/arm-linux/qemu/regress-b",
                            "s0/arm-linux/qemu/regress-no-lr"));
    filter.patterns = {"*/native/regress-*"};
    filter.arch = {"arm"};
    EXPECT_THAT(names(select_cells(cells, filter)),
                ElementsAre("s0/arm-linux/native/regress-b", "s0/arm-linux/native/regress-no-lr"));
    filter = {};
    filter.backend = {"qemu"};
    filter.arch = {"amd64", "arm"};
    EXPECT_EQ(select_cells(cells, filter).size(), 6u);
    filter.os = {"netbsd"};
    EXPECT_TRUE(select_cells(cells, filter).empty());
}

TEST_F(SelectionTest, ExactNameBeatsPrefix) {
    std::vector<Manifest> two = manifests_of({R"(description = "d"
sources = ["m.c"]
arch = ["arm"]
backends = ["qemu"]
[[regress]]
name = "a"
define = "A"
symptom = "s"
[regress.expect]
[[regress]]
name = "ab"
define = "AB"
symptom = "s"
[regress.expect]
)"});
    auto two_cells = expand_matrix(two, test::test_targets(), nullptr);
    CellFilter filter;
    filter.patterns = {"s0/arm-linux/qemu/regress-a"};
    EXPECT_THAT(names(select_cells(two_cells, filter)), ElementsAre("s0/arm-linux/qemu/regress-a"));
    filter.patterns = {"s0/arm-linux/qemu/regress-"};
    EXPECT_EQ(select_cells(two_cells, filter).size(), 2u);
}

TEST_F(SelectionTest, UnmatchedPatterns) {
    EXPECT_THAT(unmatched_patterns(cells, {"s0/arm", "nothing*", "s1"}),
                ElementsAre("nothing*", "s1"));
}

TEST(Plan, OneBinaryPerScenarioVariantTargetWithoutSkipped) {
    auto manifests = manifests_of({regress_manifest});
    auto cells = expand_matrix(manifests, test::test_targets(), no_arm_native());
    std::vector<std::string> lines;
    for (const BinaryPlan& plan : plan_binaries(cells))
        lines.push_back(cmake_plan_line(plan));
    EXPECT_THAT(lines,
                ElementsAre("crossrt_scenario_binary(SCENARIO s0 VARIANT fixed TARGET amd64-linux "
                            "DIR /src/scenarios/s0 SOURCES main.cc DEFINES)",
                            "crossrt_scenario_binary(SCENARIO s0 VARIANT fixed TARGET arm-linux "
                            "DIR /src/scenarios/s0 SOURCES main.cc DEFINES)",
                            "crossrt_scenario_binary(SCENARIO s0 VARIANT regress-b TARGET "
                            "arm-linux DIR /src/scenarios/s0 SOURCES main.cc DEFINES RT_B)",
                            "crossrt_scenario_binary(SCENARIO s0 VARIANT regress-no-lr TARGET "
                            "arm-linux DIR /src/scenarios/s0 SOURCES main.cc DEFINES "
                            "RT_REGRESS_NO_LR)"));
}

TEST(Plan, BinaryPathAndQuoting) {
    auto manifests = manifests_of({regress_manifest});
    auto cells = expand_matrix(manifests, test::test_targets(), nullptr);
    EXPECT_EQ(binary_path("/b", cells.back()), "/b/targets/arm-linux/scenarios/s0/regress-no-lr");
    EXPECT_EQ(cmake_argument("/a/b-c_d.e"), "/a/b-c_d.e");
    EXPECT_EQ(cmake_argument("has space"), "\"has space\"");
    EXPECT_EQ(cmake_argument("a;b\"$"), "\"a\\;b\\\"\\$\"");
}

TEST(CTest, OneTestPerCellWithLabels) {
    auto manifests = manifests_of({regress_manifest});
    auto cells = expand_matrix(manifests, test::test_targets(), nullptr);
    CellFilter filter;
    filter.patterns = {"s0/arm-linux/qemu/fixed"};
    std::string script =
        ctest_script(select_cells(cells, filter), "/b/bin/crossrt", {"--scenarios", "/s"});
    EXPECT_EQ(script, "add_test(s0/arm-linux/qemu/fixed /b/bin/crossrt --scenarios /s "
                      "run s0/arm-linux/qemu/fixed)\n"
                      "set_tests_properties(s0/arm-linux/qemu/fixed PROPERTIES LABELS "
                      "\"arch=arm;os=linux;backend=qemu;scenario=s0\" SKIP_REGULAR_EXPRESSION "
                      "\"(^|\\n)SKIP  \")\n");
}

} // namespace
} // namespace crossrt
