// The guest process end to end: `crossrt unicorn-guest REQUEST` on a real
// scenario binary sends the kernel's end as the protocol's report on the
// request's report fd, budget and deadlock as kinds of their own. Skipped
// when the target binaries were not built (the harness-only preset).
#include "guest_command.h"
#include "kernel_test_support.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace {

using crossrt::EndKind;
using crossrt::GuestReport;
using crossrt::GuestRequest;
using crossrt::kernel::test::CommandOutput;
using crossrt::kernel::test::run_command;
using crossrt::kernel::test::unicorn_guest_command;

namespace fs = std::filesystem;

class GuestReportTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "crossrt-report-test-XXXXXX").string();
        ASSERT_NE(mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
    }
    void TearDown() override {
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }

    // Runs the scenario's fixed build with the report on fd 3, into a file.
    GuestReport run(const std::string& scenario, GuestRequest request, CommandOutput& result) {
        fs::path binary = fs::path(CROSSRT_TEST_BUILD_DIR) / "targets" / "amd64-linux" /
                          "scenarios" / scenario / "fixed";
        if (!fs::exists(binary)) {
            skipped_ = true;
            return {};
        }
        fs::path report = dir_ / "report";
        request.report_fd = 3;
        result = run_command("env -i " + unicorn_guest_command(request, binary) + " 3>" +
                             report.string() + " 2>&1");
        std::ifstream file(report);
        std::stringstream text;
        text << file.rdbuf();
        std::string error;
        auto decoded = crossrt::decode_report(text.str(), error);
        EXPECT_TRUE(decoded) << error << "\n" << result.out;
        return decoded.value_or(GuestReport{});
    }

    fs::path dir_;
    bool skipped_ = false;
};

TEST_F(GuestReportTest, AnExhaustedBudgetIsBudgetNotTimeout) {
    CommandOutput result;
    GuestRequest request;
    request.max_insns = 10000;
    GuestReport report = run("gobuf-startcall", request, result);
    if (skipped_)
        GTEST_SKIP() << "amd64-linux scenarios not built";
    EXPECT_EQ(report.end, EndKind::budget);
    EXPECT_EQ(report.detail, "instruction budget of 10000 exhausted");
    EXPECT_TRUE(WIFEXITED(result.status) && WEXITSTATUS(result.status) == 125) << result.out;
}

TEST_F(GuestReportTest, ADeadlockIsReportedWithEachLwp) {
    CommandOutput result;
    GuestReport report = run("deadlock-on-purpose", {}, result);
    if (skipped_)
        GTEST_SKIP() << "amd64-linux scenarios not built";
    EXPECT_EQ(report.end, EndKind::deadlock);
    EXPECT_NE(report.detail.find("lwp"), std::string::npos) << report.detail;
    EXPECT_TRUE(WIFEXITED(result.status) && WEXITSTATUS(result.status) == 125) << result.out;
}

TEST_F(GuestReportTest, TheGuestsExitIsReportedAndPassedThrough) {
    CommandOutput result;
    GuestReport report = run("gobuf-startcall", {}, result);
    if (skipped_)
        GTEST_SKIP() << "amd64-linux scenarios not built";
    EXPECT_EQ(report.end, EndKind::exited);
    EXPECT_EQ(report.status, 0);
    EXPECT_TRUE(WIFEXITED(result.status) && WEXITSTATUS(result.status) == 0) << result.out;
}

TEST(GuestRequestErrors, AMalformedRequestIsRefusedWithTheReason) {
    CommandOutput result =
        run_command(std::string(CROSSRT_TEST_BINARY) + " unicorn-guest '{\"argv\": []}' 2>&1");
    EXPECT_TRUE(WIFEXITED(result.status) && WEXITSTATUS(result.status) == 2);
    EXPECT_NE(result.out.find("crossrt unicorn-guest: bad request: the request: 'argv' must be a "
                              "non-empty array of strings"),
              std::string::npos)
        << result.out;
    CommandOutput old_style =
        run_command(std::string(CROSSRT_TEST_BINARY) + " unicorn-guest --seed 7 -- /bin/true 2>&1");
    EXPECT_TRUE(WIFEXITED(old_style.status) && WEXITSTATUS(old_style.status) == 2);
    EXPECT_NE(old_style.out.find("want one argument, the request (JSON)"), std::string::npos)
        << old_style.out;
}

} // namespace
