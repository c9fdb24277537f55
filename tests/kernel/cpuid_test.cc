// CPUID fidelity on x86 (abi/x86_cpuid.h): for every feature the unicorn
// kernel's CPUID advertises, the probe (guests/cpuid_probe.c) runs an
// instruction of it on known inputs and compares with the architected
// result. Natively the same probe checks itself against the host's CPU.
#include "guest_command.h"
#include "kernel_test_support.h"

#include <filesystem>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

namespace {

using crossrt::GuestRequest;
using crossrt::kernel::test::CommandOutput;
using crossrt::kernel::test::run_command;
using crossrt::kernel::test::unicorn_guest_command;
using ::testing::HasSubstr;
using ::testing::Not;

namespace fs = std::filesystem;

class CpuidTest : public ::testing::TestWithParam<std::string> {
protected:
    fs::path probe() const { return fs::path(CROSSRT_PROBE_DIR) / ("cpuid_probe-" + GetParam()); }
};

int count(const std::string& text, const std::string& what) {
    int n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
        ++n;
    return n;
}

TEST_P(CpuidTest, EveryAdvertisedFeatureExecutesUnderUnicorn) {
    if (!fs::exists(probe()))
        GTEST_SKIP() << "no compiler for " << GetParam() << ": probe not built";
    CommandOutput result = run_command("env -i " + unicorn_guest_command({}, probe()) + " 2>&1");
    EXPECT_TRUE(WIFEXITED(result.status) && WEXITSTATUS(result.status) == 0) << result.out;
    EXPECT_THAT(result.out, HasSubstr("cpuid probe: all advertised features execute"));
    EXPECT_THAT(result.out, Not(HasSubstr("BAD")));
    // What Unicorn 2.0.1 advertises and runs: SSE2 to SSE4.2, AES, BMI1,
    // ADX, LZCNT, MMX, ... (at least 15 of the probe's features).
    EXPECT_GE(count(result.out, ": ok\n"), 15) << result.out;
    // PDEP is wrong in Unicorn 2.0.1 (its operands swapped): BMI2 is not
    // advertised, so a program takes its other code path.
    EXPECT_THAT(result.out, HasSubstr("feature bmi2: not advertised"));
}

TEST_P(CpuidTest, TheProbeHoldsOnTheHostCpu) {
    if (!fs::exists(probe()))
        GTEST_SKIP() << "no compiler for " << GetParam() << ": probe not built";
    CommandOutput result = run_command(probe().string() + " 2>&1");
    if (WIFSIGNALED(result.status) ||
        (WIFEXITED(result.status) && WEXITSTATUS(result.status) == 127))
        GTEST_SKIP() << "the host cannot run " << GetParam() << " binaries";
    EXPECT_TRUE(WIFEXITED(result.status) && WEXITSTATUS(result.status) == 0) << result.out;
    EXPECT_THAT(result.out, HasSubstr("cpuid probe: all advertised features execute"));
}

INSTANTIATE_TEST_SUITE_P(X86, CpuidTest, ::testing::Values("amd64", "386"));

} // namespace
