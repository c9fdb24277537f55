// --signal-sweep specs (base/signal_sweep.h) and the manifest's
// `signal_sweep` key: what is accepted, and what is refused with a reason
// (and, in a manifest, its file and line).
#include "backend/sweep_protocol.h"
#include "base/signal_sweep.h"
#include "test_support.h"

#include <csignal>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crossrt {
namespace {

using test::error_strings;
using test::parse;
using ::testing::HasSubstr;

TEST(SignalSweepSpec, ASymbolIsItsOwnRegion) {
    std::string error;
    auto spec = parse_signal_sweep("SIGUSR1@foreign_clobber_loop", error);
    ASSERT_TRUE(spec) << error;
    EXPECT_EQ(spec->signo, SIGUSR1);
    EXPECT_EQ(spec->first.symbol, "foreign_clobber_loop");
    EXPECT_FALSE(spec->first.address);
    EXPECT_FALSE(spec->last);
}

TEST(SignalSweepSpec, RangesOfAddressesOrSymbols) {
    std::string error;
    auto addresses = parse_signal_sweep("USR2@0x10a30-0x10A6C", error);
    ASSERT_TRUE(addresses) << error;
    EXPECT_EQ(addresses->signo, SIGUSR2);
    EXPECT_EQ(addresses->first.address, 0x10a30u);
    ASSERT_TRUE(addresses->last);
    EXPECT_EQ(addresses->last->address, 0x10a6cu);
    auto symbols = parse_signal_sweep("SIGPROF@foreign_clobber_begin-foreign_clobber_end", error);
    ASSERT_TRUE(symbols) << error;
    EXPECT_EQ(symbols->first.symbol, "foreign_clobber_begin");
    EXPECT_EQ(symbols->last->symbol, "foreign_clobber_end");
}

TEST(SignalSweepSpec, BadSpecsSayWhatIsWrong) {
    struct Bad {
        const char* spec;
        const char* why;
    };
    for (const Bad& bad : {Bad{"foreign_clobber_loop", "is not SIG@SYMBOL or SIG@BEGIN-END"},
                           Bad{"SIGNOPE@f", "'SIGNOPE' is not a signal"},
                           Bad{"SIGUSR1@", "'' is neither a symbol nor a 0x address"},
                           Bad{"SIGUSR1@0x20-0x10", "the range is empty"},
                           Bad{"SIGUSR1@0x10-0x10", "the range is empty"},
                           Bad{"SIGUSR1@0xzz-0x10", "'0xzz' is not a hex address"},
                           Bad{"SIGUSR1@1234", "neither a symbol nor a 0x address"},
                           Bad{"SIGUSR1@f-", "'' is neither a symbol"}}) {
        std::string error;
        EXPECT_FALSE(parse_signal_sweep(bad.spec, error)) << bad.spec;
        EXPECT_THAT(error, HasSubstr(bad.why)) << bad.spec;
    }
}

TEST(SignalSweepManifest, TheKeyIsKept) {
    auto result = parse("description = \"d\"\nsources = [\"a.cc\"]\nbackends = [\"unicorn\"]\n"
                        "signal_sweep = \"SIGUSR1@foreign_clobber_loop\"\n");
    ASSERT_TRUE(result.manifest) << error_strings(result)[0];
    EXPECT_EQ(result.manifest->signal_sweep, "SIGUSR1@foreign_clobber_loop");
}

TEST(SignalSweepManifest, BadValuesAreRefusedWithTheirPositions) {
    std::string head = "description = \"d\"\nsources = [\"a.cc\"]\nbackends = [\"unicorn\"]\n";
    auto bad_spec = parse(head + "signal_sweep = \"SIGUSR1@0x20-0x10\"\n");
    EXPECT_FALSE(bad_spec.manifest);
    ASSERT_EQ(error_strings(bad_spec).size(), 1u);
    EXPECT_THAT(error_strings(bad_spec)[0], HasSubstr(":4:16: key 'signal_sweep':"));
    EXPECT_THAT(error_strings(bad_spec)[0], HasSubstr("the range is empty"));

    auto not_text = parse(head + "signal_sweep = 3\n");
    EXPECT_FALSE(not_text.manifest);
    ASSERT_FALSE(error_strings(not_text).empty());
    EXPECT_THAT(error_strings(not_text)[0], HasSubstr(":4:16:"));
    EXPECT_THAT(error_strings(not_text)[0], HasSubstr("signal_sweep"));

    auto with_seeds = parse(head + "seeds = 8\nsignal_sweep = \"SIGUSR1@f\"\n");
    EXPECT_FALSE(with_seeds.manifest);
    ASSERT_EQ(error_strings(with_seeds).size(), 1u);
    EXPECT_THAT(error_strings(with_seeds)[0], HasSubstr(":5:16: key 'signal_sweep': a cell sweeps "
                                                        "seeds or signal points, not both"));

    auto native = parse("description = \"d\"\nsources = [\"a.cc\"]\n"
                        "signal_sweep = \"SIGUSR1@f\"\n");
    EXPECT_FALSE(native.manifest);
    ASSERT_EQ(error_strings(native).size(), 1u);
    EXPECT_THAT(error_strings(native)[0], HasSubstr(":3:16: key 'signal_sweep' needs backends"));
}

TEST(SignalSweepProtocol, PlansAndPointReportsCrossTheBoundaryWhole) {
    SweepPlan plan;
    plan.region = "loop [0x1000, 0x1008)";
    plan.begin = 0x1000;
    plan.end = 0x1008;
    plan.instructions = {{0x1000, "movw sb, #0xb09"}, {0x1004, "b #0x1000"}};
    plan.points = {{0x1000, 1860, 1, 100}, {0x1004, 1861, 2, 100}};
    plan.discovery = "every instruction of the region ran";
    std::string error;
    auto back = decode_sweep_plan(encode_sweep_plan(plan), error);
    ASSERT_TRUE(back) << error;
    EXPECT_EQ(back->region, plan.region);
    EXPECT_EQ(back->end, 0x1008u);
    ASSERT_EQ(back->instructions.size(), 2u);
    EXPECT_EQ(back->instructions[1].text, "b #0x1000");
    ASSERT_EQ(back->points.size(), 2u);
    EXPECT_EQ(back->points[1].count, 1861u);
    EXPECT_EQ(back->points[1].lwp, 2);
    EXPECT_EQ(back->discovery, plan.discovery);

    PointReport point;
    point.index = 1;
    point.landed_pc = 0x1004;
    point.landed_lwp = 2;
    point.run.seed = 1;
    point.run.outcome = test::ended(EndKind::signaled, 11);
    point.run.outcome.out = "one signal is on its way\n\xff";
    auto report = decode_point_report(encode_point_report(point), error);
    ASSERT_TRUE(report) << error;
    EXPECT_EQ(report->index, 1u);
    EXPECT_EQ(report->landed_pc, 0x1004u);
    EXPECT_EQ(report->run.outcome.status, 11);
    EXPECT_EQ(report->run.outcome.out, point.run.outcome.out);

    point.landed_pc.reset(); // never delivered
    report = decode_point_report(encode_point_report(point), error);
    ASSERT_TRUE(report) << error;
    EXPECT_FALSE(report->landed_pc);

    // A GuestReport (the sweep could not start) is not a plan.
    EXPECT_FALSE(decode_sweep_plan(encode_report({EndKind::error, 0, "no symbol", {}}), error));
}

} // namespace
} // namespace crossrt
