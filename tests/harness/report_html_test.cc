// `crossrt report REPORT.json -o DIR` (report/html.h, cli/cmd_report.cc):
// bad input is an error naming the file and what is wrong; the page
// escapes what the report holds, lists failures first, copies the files it
// links; and a real browser (Debian's chromium, headless) parses it into
// the rows expected, with the hostile detail as text. Skipped, visibly,
// when chromium is absent (ci/setup installs it).
#include "report/html.h"
#include "scratch_dir.h"

#include <array>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

namespace crossrt {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = std::filesystem;

struct Command {
    int status = -1;
    std::string out;
};

Command run_command(const std::string& command) {
    Command result;
    std::FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr)
        return result;
    std::array<char, 4096> buffer{};
    std::size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
        result.out.append(buffer.data(), n);
    int status = pclose(pipe);
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

int count(const std::string& text, const std::string& needle) {
    int n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
        ++n;
    return n;
}

// A detail that would end the cell and add a row of its own, and run a
// script, if the page did not escape it.
const std::string hostile =
    "saw exit 1; stderr: </pre></td></tr><tr class=\"cell failed\"><td>forged</td></tr>"
    "<script>document.title='pwned'</script>";

std::string report_json(const fs::path& files) {
    nlohmann::json cells = nlohmann::json::array();
    cells.push_back({{"name", "alpha/arm-linux/unicorn/fixed"},
                     {"verdict", "pass"},
                     {"detail", ""},
                     {"duration_s", 0.5},
                     {"seed", 24301},
                     {"repeat_command", "crossrt run alpha/arm-linux/unicorn/fixed --seeds 1 "
                                        "--seed 24301"}});
    cells.push_back({{"name", "beta/arm-netbsd/unicorn/fixed"},
                     {"verdict", "fail"},
                     {"detail", hostile},
                     {"duration_s", 1.25},
                     {"seed", 24317},
                     {"seeds_tried", 17},
                     {"repeat_command", "crossrt run beta/arm-netbsd/unicorn/fixed --seeds 1 "
                                        "--seed 24317"},
                     {"trace", (files / "beta.trace").string()},
                     {"timeline", (files / "beta#2.timeline.json").string()},
                     {"schedule_file", (files / "beta.schedule").string()},
                     {"replay_command", "crossrt exec --schedule beta.schedule -- beta"}});
    cells.push_back({{"name", "gamma/386-linux/qemu/fixed"},
                     {"verdict", "skip"},
                     {"detail", "not built"},
                     {"duration_s", 0}});
    cells.push_back({{"name", "delta/amd64-linux/unicorn/fixed"},
                     {"verdict", "timeout"},
                     {"detail", "timeout after 10.0s"},
                     {"duration_s", 10.0},
                     {"seed", nullptr},
                     {"timeline", (files / "gone.timeline.json").string()}});
    return nlohmann::json{{"results", cells}}.dump(2);
}

TEST(HtmlReport, BadInputNamesTheFileAndWhatIsWrong) {
    std::string error;
    EXPECT_FALSE(parse_json_report("<html>", "r.json", error));
    EXPECT_THAT(error, HasSubstr("r.json: not JSON"));
    EXPECT_FALSE(parse_json_report(R"({"results": 3})", "r.json", error));
    EXPECT_THAT(error, HasSubstr("r.json: not a crossrt JSON report"));
    EXPECT_FALSE(parse_json_report(R"([1, 2])", "r.json", error));
    EXPECT_THAT(error, HasSubstr("\"results\" array"));
    EXPECT_FALSE(parse_json_report(R"({"results": [{"name": "a", "verdict": "pass"}, 7]})",
                                   "r.json", error));
    EXPECT_THAT(error, HasSubstr("r.json: results[1] is not an object"));
    EXPECT_FALSE(parse_json_report(R"({"results": [{"name": "a"}]})", "r.json", error));
    EXPECT_THAT(error, HasSubstr("results[0] has no \"verdict\""));
    EXPECT_FALSE(parse_json_report(R"({"results": [{"name": "a", "verdict": "pass",
        "seed": -1}]})",
                                   "r.json", error));
    EXPECT_THAT(error, HasSubstr("results[0] \"seed\" is not a whole number"));
    EXPECT_FALSE(
        parse_json_report(R"({"results": [{"name": "a", "verdict": 1}]})", "r.json", error));
    EXPECT_THAT(error, HasSubstr("\"verdict\" is not a string"));
}

TEST(HtmlReport, ThePageEscapesAndPutsFailuresFirst) {
    std::string error;
    auto cells = parse_json_report(report_json("/nowhere"), "r.json", error);
    ASSERT_TRUE(cells) << error;
    std::string page = render_html_report(*cells, {}, "r.json");
    EXPECT_THAT(page, Not(HasSubstr("<script>")));
    EXPECT_THAT(page, HasSubstr("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"));
    EXPECT_EQ(count(page, "<tr class=\"cell "), 4);
    // fail and timeout before pass and skip, each in the report's order.
    auto at = [&](const std::string& name) { return page.find("<td class=\"name\">" + name); };
    EXPECT_LT(at("beta/"), at("delta/"));
    EXPECT_LT(at("delta/"), at("alpha/"));
    EXPECT_LT(at("alpha/"), at("gamma/"));
    EXPECT_THAT(page, HasSubstr("24317 (17 tried)"));
    EXPECT_THAT(page, HasSubstr("<td class=\"seed\">default</td>")); // delta's null seed
    EXPECT_THAT(page, HasSubstr("<td class=\"seed\"></td>"));        // gamma: not seeded
    EXPECT_THAT(page, HasSubstr("crossrt exec --schedule beta.schedule -- beta"));
    // No links given: the files named are shown missing.
    EXPECT_THAT(page, HasSubstr("timeline missing: /nowhere/beta#2.timeline.json"));
}

class HtmlReportCommand : public ::testing::Test {
protected:
    void SetUp() override {
        files_ = scratch_.path() / "run";
        fs::create_directories(files_);
        test::write_file(files_ / "beta.trace", "trace lines\n");
        test::write_file(files_ / "beta#2.timeline.json", "{\"traceEvents\":[]}\n");
        test::write_file(files_ / "beta.schedule", "crossrt-schedule 1\n");
        report_ = scratch_.path() / "report.json";
        test::write_file(report_, report_json(files_));
        out_ = scratch_.path() / "html";
    }

    Command report(const std::string& args) {
        return run_command(fmt::format("{} report {} 2>&1", CROSSRT_TEST_BINARY, args));
    }

    test::ScratchDir scratch_;
    fs::path files_, report_, out_;
};

TEST_F(HtmlReportCommand, BadInputExitsNonZeroNamingTheFile) {
    fs::path bad = scratch_.path() / "bad.json";
    test::write_file(bad, "{\"results\": [{\"verdict\": \"pass\"}]}");
    Command result = report(fmt::format("{} -o {}", bad.string(), out_.string()));
    EXPECT_EQ(result.status, 2);
    EXPECT_THAT(result.out, HasSubstr(bad.string() + ": results[0] has no \"name\""));
    EXPECT_FALSE(fs::exists(out_ / "index.html"));
    result =
        report(fmt::format("{} -o {}", (scratch_.path() / "absent.json").string(), out_.string()));
    EXPECT_EQ(result.status, 2);
    EXPECT_THAT(result.out, HasSubstr("cannot read"));
}

TEST_F(HtmlReportCommand, APageWithItsFilesRendersInHeadlessChromium) {
    Command made = report(fmt::format("{} -o {}", report_.string(), out_.string()));
    ASSERT_EQ(made.status, 0) << made.out;
    // The files are copied under names safe in a URL ('#' is not).
    EXPECT_EQ(test::read_file(out_ / "files" / "beta.trace"), "trace lines\n");
    EXPECT_TRUE(fs::exists(out_ / "files" / "beta_2.timeline.json"));
    EXPECT_TRUE(fs::exists(out_ / "files" / "beta.schedule"));

    if (run_command("command -v chromium").status != 0)
        GTEST_SKIP() << "chromium is not installed (ci/setup installs it): the page was written "
                        "but not rendered";
    Command dom = run_command(
        fmt::format("timeout 120 chromium --headless --disable-gpu --no-sandbox --user-data-dir={} "
                    "--dump-dom file://{} 2>/dev/null",
                    (scratch_.path() / "profile").string(), (out_ / "index.html").string()));
    ASSERT_EQ(dom.status, 0) << "chromium failed";
    // The browser's own serialization of the page it parsed: its tbody, the
    // four cells' rows and no forged one, the script not run.
    EXPECT_THAT(dom.out, HasSubstr("<tbody>"));
    EXPECT_EQ(count(dom.out, "<tr class=\"cell "), 4) << dom.out;
    EXPECT_EQ(count(dom.out, "forged"), 1);
    EXPECT_THAT(dom.out, Not(HasSubstr("pwned</title>")));
    EXPECT_THAT(dom.out, HasSubstr("<title>crossrt report: "));
    EXPECT_THAT(dom.out, HasSubstr("&lt;script&gt;document.title='pwned'&lt;/script&gt;"));
    EXPECT_THAT(dom.out, HasSubstr("<a class=\"timeline\" href=\"files/beta_2.timeline.json\">"));
    EXPECT_THAT(dom.out, HasSubstr("<a class=\"trace\" href=\"files/beta.trace\">"));
    EXPECT_THAT(dom.out, HasSubstr("<a class=\"schedule\" href=\"files/beta.schedule\">"));
    EXPECT_THAT(dom.out, HasSubstr("timeline missing: "));
    EXPECT_LT(dom.out.find("beta/arm-netbsd"), dom.out.find("alpha/arm-linux"));
}

} // namespace
} // namespace crossrt
