#include "report/atomic_write.h"
#include "report/console.h"
#include "report/html.h"
#include "report/json.h"
#include "report/junit.h"
#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace crossrt {
namespace {

using ::testing::HasSubstr;

class ReportTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto result = test::parse("description = \"d\"\nsources = [\"m.c\"]\narch = [\"arm\"]\n"
                                  "backends = [\"qemu\", \"native\"]\n");
        ASSERT_TRUE(result.manifest);
        result.manifest->name = "alpha";
        manifests.push_back(*result.manifest);
        result.manifest->name = "beta";
        manifests.push_back(*result.manifest);
        cells = expand_matrix(manifests, test::test_targets(), nullptr);
        ASSERT_EQ(cells.size(), 4u); // alpha x {native, qemu}, beta x {native, qemu}
        results = {result_of(0, Verdict::pass, ""),
                   result_of(1, Verdict::fail, "expected exit 0, saw exit 1 <&\"\x01\xff>"),
                   result_of(2, Verdict::skip, "host (amd64) cannot execute arm"),
                   result_of(3, Verdict::timeout, "timeout after 10.0s")};
    }
    CellResult result_of(std::size_t index, Verdict verdict, std::string detail) {
        CellResult result;
        result.cell = &cells[index];
        result.verdict = verdict;
        result.duration_s = 0.25;
        result.detail = std::move(detail);
        return result;
    }

    std::vector<Manifest> manifests;
    std::vector<Cell> cells;
    std::vector<CellResult> results;
};

TEST_F(ReportTest, JsonParsesBack) {
    auto json = nlohmann::json::parse(json_report(results));
    const auto& list = json.at("results");
    ASSERT_EQ(list.size(), 4u);
    EXPECT_EQ(list[0]["scenario"], "alpha");
    EXPECT_EQ(list[0]["arch"], "arm");
    EXPECT_EQ(list[0]["os"], "linux");
    EXPECT_EQ(list[0]["backend"], "native");
    EXPECT_EQ(list[0]["variant"], "fixed");
    EXPECT_EQ(list[0]["verdict"], "pass");
    EXPECT_DOUBLE_EQ(list[0]["duration_s"].get<double>(), 0.25);
    EXPECT_EQ(list[1]["verdict"], "fail");
    EXPECT_THAT(list[1]["detail"].get<std::string>(), HasSubstr("saw exit 1 <&\"\x01"));
    EXPECT_EQ(list[2]["verdict"], "skip");
    EXPECT_EQ(list[3]["verdict"], "timeout");
}

TEST_F(ReportTest, JsonNamesRepeats) {
    results[0].repeat = 2;
    results[0].show_repeat = true;
    auto json = nlohmann::json::parse(json_report(results));
    EXPECT_EQ(json["results"][0]["name"], "alpha/arm-linux/native/fixed#2");
}

// What `crossrt report` reads is what `crossrt run --json` writes: the
// files and the repeat command too.
TEST_F(ReportTest, JsonReadsBackForTheHtmlReport) {
    results[1].trace_file = "traces/a.trace";
    results[1].timeline_file = "timelines/a.timeline.json";
    results[1].repeat_command = "crossrt run alpha/arm-linux/qemu/fixed";
    results[1].seeded = true;
    results[1].seed = 24301;
    results[1].seeds_tried = 3;
    std::string error;
    auto parsed = parse_json_report(json_report(results), "r.json", error);
    ASSERT_TRUE(parsed) << error;
    ASSERT_EQ(parsed->size(), 4u);
    const ReportedCell& cell = (*parsed)[1];
    EXPECT_EQ(cell.name, "alpha/arm-linux/qemu/fixed");
    EXPECT_EQ(cell.verdict, "fail");
    EXPECT_THAT(cell.detail, HasSubstr("saw exit 1 <&\""));
    EXPECT_EQ(cell.duration_s, 0.25);
    EXPECT_EQ(cell.seed, 24301u);
    EXPECT_EQ(cell.seeds_tried, 3u);
    EXPECT_EQ(cell.trace, "traces/a.trace");
    EXPECT_EQ(cell.timeline, "timelines/a.timeline.json");
    EXPECT_EQ(cell.repeat_command, "crossrt run alpha/arm-linux/qemu/fixed");
    EXPECT_EQ((*parsed)[0].trace, "");
    EXPECT_FALSE((*parsed)[0].seed);
}

int count(const std::string& text, const std::string& needle) {
    int n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
        ++n;
    return n;
}

TEST_F(ReportTest, JunitStructure) {
    std::string xml = junit_report(results);
    EXPECT_THAT(xml, HasSubstr("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    EXPECT_EQ(count(xml, "<testsuite "), 2);
    EXPECT_EQ(count(xml, "</testsuite>"), 2);
    EXPECT_EQ(count(xml, "<testcase "), 4);
    EXPECT_THAT(xml, HasSubstr("<testsuite name=\"alpha\" tests=\"2\" failures=\"1\" errors=\"0\" "
                               "skipped=\"0\""));
    EXPECT_THAT(xml, HasSubstr("<testsuite name=\"beta\" tests=\"2\" failures=\"1\" errors=\"0\" "
                               "skipped=\"1\""));
    EXPECT_THAT(xml, HasSubstr("<testcase classname=\"alpha\" name=\"arm-linux/native/fixed\" "
                               "time=\"0.250\">"));
    // Escaped, and without bytes XML cannot hold.
    EXPECT_THAT(xml, HasSubstr("<failure message=\"expected exit 0, saw exit 1 &lt;&amp;&quot;??"
                               "&gt;\" type=\"fail\"/>"));
    EXPECT_THAT(xml, HasSubstr("<skipped message=\"host (amd64) cannot execute arm\"/>"));
    EXPECT_THAT(xml, HasSubstr("<failure message=\"timeout after 10.0s\" type=\"timeout\"/>"));
    EXPECT_THAT(xml, HasSubstr("<system-out>timeout after 10.0s</system-out>"));
    EXPECT_EQ(xml.find('\x01'), std::string::npos);
}

// As JUnit's consumers read them: an error is an <error>, counted in
// errors; a cell an interrupt kept from starting is skipped, not a failure.
TEST_F(ReportTest, JunitErrorsAreErrorsAndNotRunCellsAreSkipped) {
    results.push_back(result_of(0, Verdict::error, "interrupted"));
    results.push_back(result_of(1, Verdict::skip, "not run (interrupted)"));
    results.push_back(result_of(1, Verdict::xpass, "unexpectedly passed"));
    std::string xml = junit_report(results);
    EXPECT_THAT(xml, HasSubstr("<testsuites name=\"crossrt\" tests=\"7\" failures=\"3\" "
                               "errors=\"1\" skipped=\"2\""));
    EXPECT_THAT(xml, HasSubstr("<testsuite name=\"alpha\" tests=\"5\" failures=\"2\" "
                               "errors=\"1\" skipped=\"1\""));
    EXPECT_THAT(xml, HasSubstr("<error message=\"interrupted\" type=\"error\"/>"));
    EXPECT_THAT(xml, HasSubstr("<skipped message=\"not run (interrupted)\"/>"));
    EXPECT_EQ(count(xml, "<failure "), 3);
}

TEST(XmlEscape, KeepsValidUtf8) {
    EXPECT_EQ(xml_escape("caf\xc3\xa9 \xe2\x9c\x93"), "caf\xc3\xa9 \xe2\x9c\x93");
    EXPECT_EQ(xml_escape("bad \xc3 end"), "bad ? end");
    EXPECT_EQ(xml_escape("a\nb\tc"), "a&#10;b\tc");
}

TEST_F(ReportTest, PlainLines) {
    EXPECT_EQ(plain_result_line(results[0]), "PASS  alpha/arm-linux/native/fixed  (0.25s)");
    results[1].detail = "line1\nline2";
    EXPECT_EQ(plain_result_line(results[1]),
              "FAIL  alpha/arm-linux/qemu/fixed  (0.25s): line1\\nline2");
    EXPECT_EQ(plain_result_line(results[2]),
              "SKIP  beta/arm-linux/native/fixed: host (amd64) cannot execute arm");
    EXPECT_EQ(plain_result_line(results[3]),
              "TIMEOUT  beta/arm-linux/qemu/fixed  (0.25s): timeout after 10.0s");
}

TEST_F(ReportTest, SummaryLine) {
    results.push_back(result_of(0, Verdict::error, "binary not built: /x"));
    EXPECT_EQ(summary_line(tally(results)),
              "5 cells: 1 passed, 1 failed, 1 skipped, 1 timeout, 1 error");
}

TEST_F(ReportTest, XfailAndXpassInSummaryAndJunit) {
    results.push_back(result_of(0, Verdict::xfail, "expected failure (bug): signal"));
    results.push_back(result_of(1, Verdict::xpass, "unexpectedly passed"));
    EXPECT_EQ(summary_line(tally(results)),
              "6 cells: 1 passed, 1 failed, 1 skipped, 1 timeout, 0 error, 1 xfail, 1 xpass");
    EXPECT_EQ(plain_result_line(results[4]).substr(0, 7), "XFAIL  ");
    std::string xml = junit_report(results);
    EXPECT_NE(xml.find("<skipped message=\"expected failure (bug): signal\"/>"), std::string::npos);
    EXPECT_NE(xml.find("type=\"xpass\""), std::string::npos);
}

TEST_F(ReportTest, BudgetIsAFailureOfItsOwnInEveryReport) {
    results.push_back(result_of(1, Verdict::budget, "instruction budget of 50000 exhausted"));
    EXPECT_EQ(summary_line(tally(results)),
              "5 cells: 1 passed, 1 failed, 1 skipped, 1 timeout, 0 error, 1 budget");
    EXPECT_EQ(plain_result_line(results[4]),
              "BUDGET  alpha/arm-linux/qemu/fixed  (0.25s): instruction budget of 50000 exhausted");
    std::string xml = junit_report(results);
    EXPECT_THAT(xml, HasSubstr("<failure message=\"instruction budget of 50000 exhausted\" "
                               "type=\"budget\"/>"));
    EXPECT_THAT(xml, HasSubstr("<testsuite name=\"alpha\" tests=\"3\" failures=\"2\""));
    auto json = nlohmann::json::parse(json_report(results));
    EXPECT_EQ(json["results"][4]["verdict"], "budget");
}

TEST_F(ReportTest, MemoryIsAFailureOfItsOwnInEveryReport) {
    results.push_back(result_of(1, Verdict::memory, "memory cap of 64 MiB reached"));
    EXPECT_EQ(summary_line(tally(results)),
              "5 cells: 1 passed, 1 failed, 1 skipped, 1 timeout, 0 error, 1 memory");
    EXPECT_EQ(plain_result_line(results[4]),
              "MEMORY  alpha/arm-linux/qemu/fixed  (0.25s): memory cap of 64 MiB reached");
    std::string xml = junit_report(results);
    EXPECT_THAT(xml, HasSubstr("<failure message=\"memory cap of 64 MiB reached\" "
                               "type=\"memory\"/>"));
    EXPECT_THAT(xml, HasSubstr("<testsuite name=\"alpha\" tests=\"3\" failures=\"2\""));
    auto json = nlohmann::json::parse(json_report(results));
    EXPECT_EQ(json["results"][4]["verdict"], "memory");
}

TEST_F(ReportTest, SeedFieldsOnlyForSeededBackends) {
    results[0].seeded = true;
    results[0].seed = 7;
    results[0].seeds_tried = 3;
    results[1].seeded = true; // the backend's default seed
    auto json = nlohmann::json::parse(json_report(results));
    EXPECT_EQ(json["results"][0]["seed"], 7);
    EXPECT_EQ(json["results"][0]["seeds_tried"], 3);
    EXPECT_TRUE(json["results"][1]["seed"].is_null());
    EXPECT_EQ(json["results"][1]["seeds_tried"], 1);
    EXPECT_FALSE(json["results"][2].contains("seed"));
    EXPECT_FALSE(json["results"][2].contains("seeds_tried"));
}

TEST_F(ReportTest, ConsolePlainModePrintsEveryCellAndTheFailures) {
    char* buffer = nullptr;
    std::size_t size = 0;
    std::FILE* out = open_memstream(&buffer, &size);
    {
        ConsoleReporter reporter(out, false, results.size());
        for (const CellResult& result : results) {
            reporter.started(result.name());
            reporter.finished(result);
        }
        reporter.summary(results);
    }
    std::fclose(out);
    std::string text(buffer, size);
    free(buffer);
    EXPECT_THAT(text, HasSubstr("PASS  alpha/arm-linux/native/fixed  (0.25s)\n"));
    EXPECT_THAT(text, HasSubstr("4 cells: 1 passed, 1 failed, 1 skipped, 1 timeout, 0 error\n"
                                "failing cells:\n"
                                "  alpha/arm-linux/qemu/fixed (fail)\n"
                                "  beta/arm-linux/qemu/fixed (timeout)\n"));
    EXPECT_EQ(text.find('\r'), std::string::npos);
}

TEST(AtomicWrite, ReplacesWholeFile) {
    test::ScratchDir dir;
    auto path = dir.path() / "report.json";
    write_file_atomically(path, "first");
    write_file_atomically(path, "second");
    EXPECT_EQ(test::read_file(path), "second");
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()),
                            std::filesystem::directory_iterator()),
              1); // no temporary left behind
    EXPECT_THROW(write_file_atomically(dir.path() / "no" / "dir.json", "x"), std::system_error);
}

} // namespace
} // namespace crossrt
