// The JSON report read back, the merge of shards' reports, TAP, JUnit's
// properties and the console's modes and status line.
#include "report/console.h"
#include "report/json.h"
#include "report/junit.h"
#include "report/merge.h"
#include "report/tap.h"
#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace crossrt {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class MergeTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto parsed = test::parse("description = \"d\"\nsources = [\"m.c\"]\narch = [\"arm\"]\n"
                                  "backends = [\"qemu\", \"native\", \"unicorn\"]\n");
        ASSERT_TRUE(parsed.manifest);
        parsed.manifest->name = "alpha";
        manifests.push_back(*parsed.manifest);
        cells = expand_matrix(manifests, test::test_targets(), nullptr);
        ASSERT_EQ(cells.size(), 3u); // native, qemu, unicorn
        results = {result_of(0, Verdict::skip, "host (amd64) cannot execute arm"),
                   result_of(1, Verdict::fail, "expected exit 0, saw exit 1 # <&>\nmore"),
                   result_of(2, Verdict::pass, "")};
        results[1].emulator = "qemu-arm 10.0.2";
        results[1].repeat_command = "crossrt run alpha/arm-linux/qemu/fixed";
        results[2].seeded = true;
        results[2].seed = 7;
        results[2].seeds_tried = 2;
        results[2].emulator = "unicorn 2.0.1";
        results[2].trace_file = "t/a.trace";
        results[2].sweep_table = "point table\n";
    }
    CellResult result_of(std::size_t index, Verdict verdict, std::string detail) {
        CellResult result;
        result.cell = &cells[index];
        result.verdict = verdict;
        result.duration_s = 0.5 + static_cast<double>(index);
        result.cpu_s = 0.25;
        result.detail = std::move(detail);
        return result;
    }
    // The report of shard k (1-based) of n holding results[i] for i in `which`.
    std::string shard_report(unsigned k, unsigned n, std::initializer_list<std::size_t> which) {
        ReportHeader header = whole_run_header(results);
        header.shard = ReportShard{k, n, "manifest timeouts"};
        std::vector<CellResult> part;
        for (std::size_t i : which)
            part.push_back(results[i]);
        return json_report(part, header);
    }
    LoadedReport load(const std::string& text, const std::string& source) {
        std::string error;
        auto report = load_json_report(text, source, error);
        EXPECT_TRUE(report) << error;
        return report ? std::move(*report) : LoadedReport{};
    }
    // merge_reports' error, "" when it merged.
    std::string merge_error(std::vector<std::pair<std::string, std::string>> reports) {
        std::vector<LoadedReport> loaded;
        for (const auto& [text, source] : reports)
            loaded.push_back(load(text, source));
        std::string error;
        auto merged = merge_reports(std::move(loaded), error);
        return merged ? "" : error;
    }

    std::vector<Manifest> manifests;
    std::vector<Cell> cells;
    std::vector<CellResult> results;
};

// Every field crossrt run writes comes back, so that a merged report is
// the same text as the unsharded one.
TEST_F(MergeTest, AReportLoadsBackToTheSameReport) {
    results[2].repeat = 3;
    results[2].show_repeat = true;
    results[2].timeline_file = "t/a.timeline.json";
    std::string text = json_report(results, {{"memory_cap", "cgroup v2"}});
    LoadedReport report = load(text, "r.json");
    EXPECT_EQ(json_report(report.results, report.header), text);
    EXPECT_EQ(report.results[2].name(), "alpha/arm-linux/unicorn/fixed#3");
    EXPECT_EQ(nlohmann::json::parse(text)["schema_version"], kJsonReportSchemaVersion);
}

TEST_F(MergeTest, ShardsMergeIntoTheUnshardedReport) {
    std::vector<LoadedReport> shards;
    shards.push_back(load(shard_report(2, 2, {2, 0}), "b.json"));
    shards.push_back(load(shard_report(1, 2, {1}), "a.json"));
    std::string error;
    auto merged = merge_reports(std::move(shards), error);
    ASSERT_TRUE(merged) << error;
    EXPECT_EQ(json_report(merged->results, merged->header), json_report(results));
    EXPECT_EQ(junit_report(merged->results), junit_report(results));
    EXPECT_EQ(tap_report(merged->results), tap_report(results));
}

TEST_F(MergeTest, BadShardSetsAreRefusedSayingWhy) {
    std::string a = shard_report(1, 3, {0}), b = shard_report(2, 3, {1}),
                c = shard_report(3, 3, {2});
    EXPECT_EQ(merge_error({{a, "a"}, {b, "b"}, {c, "c"}}), "");
    EXPECT_EQ(merge_error({{a, "a"}, {c, "c"}}), "shard 2 of 3 missing (given: 1, 3)");
    EXPECT_EQ(merge_error({{a, "a"}, {a, "a2"}, {b, "b"}, {c, "c"}}),
              "a (shard 1 of 3) and a2 (shard 1 of 3) are the same shard");
    EXPECT_EQ(merge_error({{a, "a"}, {shard_report(2, 2, {1, 2}), "x"}}),
              "a (shard 1 of 3) and x (shard 2 of 2): shards of different splits");
    EXPECT_THAT(merge_error({{a, "a"}, {json_report(results), "whole"}}),
                HasSubstr("whole is not a shard's report"));
    // Two shards that both ran a cell: split by different costs.
    EXPECT_THAT(merge_error({{a, "a"}, {shard_report(2, 3, {0, 1}), "b"}, {c, "c"}}),
                HasSubstr("alpha/arm-linux/native/fixed is in both a and b"));
    // A cell no shard ran.
    EXPECT_THAT(merge_error({{a, "a"}, {shard_report(2, 3, {}), "b"}, {c, "c"}}),
                HasSubstr("the shards hold 2 cells, not their selection's 3"));
    // Shards of another selection.
    std::string other = shard_report(2, 3, {1});
    auto json = nlohmann::json::parse(other);
    json["selection"]["cells"] = 5;
    EXPECT_THAT(merge_error({{a, "a"}, {json.dump(), "b"}, {c, "c"}}),
                HasSubstr("a and b are shards of different selections (3 cells"));
}

TEST_F(MergeTest, ReportsOfAnotherVersionOrShapeAreRefusedByName) {
    std::string error;
    auto json = nlohmann::json::parse(json_report(results));
    json["schema_version"] = kJsonReportSchemaVersion + 1;
    EXPECT_FALSE(load_json_report(json.dump(), "new.json", error));
    EXPECT_THAT(error, HasSubstr("new.json: schema_version 2, but this crossrt reads "
                                 "schema_version 1"));
    json.erase("schema_version");
    EXPECT_FALSE(load_json_report(json.dump(), "old.json", error));
    EXPECT_THAT(error, HasSubstr("old.json: has no \"schema_version\""));
    json = nlohmann::json::parse(json_report(results));
    json["results"][1]["verdict"] = "maybe";
    EXPECT_FALSE(load_json_report(json.dump(), "r.json", error));
    EXPECT_EQ(error, "r.json: results[1] \"verdict\" 'maybe' is not a verdict");
    json = nlohmann::json::parse(json_report(results));
    json["results"][0].erase("arch");
    EXPECT_FALSE(load_json_report(json.dump(), "r.json", error));
    EXPECT_EQ(error, "r.json: results[0] has no \"arch\"");
    EXPECT_FALSE(load_json_report("{", "r.json", error));
    EXPECT_THAT(error, HasSubstr("r.json: not JSON"));
}

TEST_F(MergeTest, TapPointsDirectivesAndDiagnostics) {
    results.push_back(result_of(1, Verdict::xfail, "expected failure (bug): SIGSEGV"));
    results.push_back(result_of(1, Verdict::xpass, "unexpectedly passed"));
    results.back().repeat = 2;
    results.back().show_repeat = true;
    std::string tap = tap_report(results);
    EXPECT_THAT(tap, testing::StartsWith("TAP version 13\n1..5\n"));
    EXPECT_THAT(tap, HasSubstr("ok 1 - alpha/arm-linux/native/fixed # SKIP host (amd64) cannot "
                               "execute arm\n"));
    // '#' would start a directive: the description and reason hold none.
    EXPECT_THAT(tap, HasSubstr("not ok 2 - alpha/arm-linux/qemu/fixed\n  ---\n  verdict: fail\n"
                               "  detail: \"expected exit 0, saw exit 1 # <&>\\nmore\"\n"));
    EXPECT_THAT(tap, HasSubstr("  repeat_command: \"crossrt run alpha/arm-linux/qemu/fixed\"\n"
                               "  ...\n"));
    EXPECT_THAT(tap, HasSubstr("ok 3 - alpha/arm-linux/unicorn/fixed\nnot ok 4"));
    EXPECT_THAT(tap, HasSubstr("not ok 4 - alpha/arm-linux/qemu/fixed # TODO expected failure "
                               "(bug): SIGSEGV\n"));
    EXPECT_THAT(tap, HasSubstr("not ok 5 - alpha/arm-linux/qemu/fixed (repeat 2)\n"));
}

TEST_F(MergeTest, JunitPropertiesNameBackendEmulatorSeedAndRepeat) {
    std::string xml = junit_report(results);
    EXPECT_THAT(xml, HasSubstr("name=\"arm-linux/qemu/fixed\" time=\"1.500\">\n"
                               "      <properties>\n"
                               "        <property name=\"backend\" value=\"qemu\"/>\n"
                               "        <property name=\"arch\" value=\"arm\"/>\n"
                               "        <property name=\"os\" value=\"linux\"/>\n"
                               "        <property name=\"emulator\" value=\"qemu-arm 10.0.2\"/>\n"
                               "        <property name=\"repeat_command\" "
                               "value=\"crossrt run alpha/arm-linux/qemu/fixed\"/>\n"
                               "      </properties>\n"));
    EXPECT_THAT(xml, HasSubstr("<property name=\"seed\" value=\"7\"/>"));
    results[2].seed.reset();
    EXPECT_THAT(junit_report(results), HasSubstr("<property name=\"seed\" value=\"default\"/>"));
}

std::string console_output(const std::vector<CellResult>& results, ConsoleMode mode) {
    char* buffer = nullptr;
    std::size_t size = 0;
    std::FILE* out = open_memstream(&buffer, &size);
    {
        ConsoleReporter reporter(out, false, results.size(), mode);
        for (const CellResult& result : results) {
            reporter.started(result.name());
            reporter.finished(result);
        }
        reporter.summary(results);
    }
    std::fclose(out);
    std::string text(buffer, size);
    free(buffer);
    return text;
}

TEST_F(MergeTest, QuietPrintsFailuresOnlyVerboseEveryCellAndHowToRepeatIt) {
    std::string quiet = console_output(results, ConsoleMode::quiet);
    EXPECT_THAT(quiet, Not(HasSubstr("SKIP  ")));
    EXPECT_THAT(quiet, Not(HasSubstr("PASS  ")));
    EXPECT_THAT(quiet, HasSubstr("FAIL  alpha/arm-linux/qemu/fixed  (1.50s): expected exit 0"));
    EXPECT_THAT(quiet, HasSubstr("3 cells: 1 passed, 1 failed, 1 skipped"));
    std::string verbose = console_output(results, ConsoleMode::verbose);
    EXPECT_THAT(verbose, HasSubstr("SKIP  alpha/arm-linux/native/fixed"));
    EXPECT_THAT(verbose, HasSubstr("PASS  alpha/arm-linux/unicorn/fixed  (2.50s)\npoint table\n"
                                   "    emulator unicorn 2.0.1; seed 7; \n"));
    EXPECT_THAT(verbose, HasSubstr("    emulator qemu-arm 10.0.2; repeat: crossrt run "
                                   "alpha/arm-linux/qemu/fixed\n"));
    std::string normal = console_output(results, ConsoleMode::normal);
    EXPECT_THAT(normal, HasSubstr("PASS  alpha/arm-linux/unicorn/fixed"));
    EXPECT_THAT(normal, Not(HasSubstr("emulator ")));
}

TEST_F(MergeTest, StatusLineCountsFailuresRunningAndTimeLeftByCost) {
    ConsoleReporter reporter(stdout, false, 3);
    reporter.set_expected_costs(
        {{results[0].name(), 0}, {results[1].name(), 1}, {results[2].name(), 3}});
    EXPECT_THAT(reporter.status_text(),
                testing::MatchesRegex(R"(\[0/3\] 0 failed \| 0:00 elapsed)"));
    reporter.started(results[1].name());
    reporter.started(results[2].name());
    std::string line = reporter.status_text();
    EXPECT_THAT(line,
                HasSubstr("| running: alpha/arm-linux/qemu/fixed, alpha/arm-linux/unicorn/fixed"));
    ::testing::internal::CaptureStdout();
    reporter.finished(results[1]);
    // A quarter of the expected cost done in 10 s: three times that left.
    EXPECT_EQ(reporter.status_text(10.0),
              "[1/3] 1 failed | 0:10 elapsed, ~0:30 left | running: alpha/arm-linux/unicorn/fixed");
    reporter.finished(results[0]); // a skip costs nothing: the same estimate
    ::testing::internal::GetCapturedStdout();
    EXPECT_THAT(reporter.status_text(10.0), HasSubstr("[2/3] 1 failed | 0:10 elapsed, ~0:30 left"));
    EXPECT_EQ(clock_time(65), "1:05");
    EXPECT_EQ(clock_time(3725), "1:02:05");
}

} // namespace
} // namespace crossrt
