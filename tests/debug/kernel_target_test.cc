// The unicorn kernel as gdb's target (debug/kernel_target.h), on the
// runtime core's real scenario binaries (skipped when the targets were not
// built): going back to an instruction count by replay gives the registers
// of every thread and the memory that going forward to it gave, and
// breakpoints are met backwards where they were met forwards.
#include "base/signal_sweep.h"
#include "debug/kernel_target.h"
#include "kernel/code_region.h"

#include <fcntl.h>
#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <unistd.h>

namespace crossrt::debug {
namespace {

namespace fs = std::filesystem;
const fs::path build_dir = CROSSRT_TEST_BUILD_DIR;

// What gdb could see at one point: where, who runs, each thread's
// registers and the stack under each thread's sp.
struct Snapshot {
    std::uint64_t position = 0;
    ThreadId current;
    std::map<std::pair<int, int>, std::vector<std::optional<std::string>>> registers;
    std::map<std::pair<int, int>, std::string> stacks;
    bool operator==(const Snapshot&) const = default;
};

class KernelTargetTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        path_ = build_dir / "targets" / GetParam() / "scenarios" / "m-procid" / "fixed";
        if (!fs::exists(path_))
            GTEST_SKIP() << path_ << " not built";
        null_fd_ = ::open("/dev/null", O_WRONLY);
    }
    void TearDown() override {
        if (null_fd_ >= 0)
            ::close(null_fd_);
    }

    std::unique_ptr<KernelTarget> boot() {
        kernel::ElfRead read = kernel::read_elf(path_.string());
        EXPECT_TRUE(read.image) << read.error;
        image_ = *read.image;
        kernel::KernelOptions options;
        options.seed = 11;
        options.argv = {path_.filename().string()};
        options.out_fd = null_fd_;
        options.err_fd = null_fd_;
        auto target = std::make_unique<KernelTarget>(*read.image, options);
        std::string error;
        EXPECT_TRUE(target->boot(error)) << error;
        return target;
    }

    Snapshot snapshot(KernelTarget& target) {
        Snapshot snap;
        snap.position = target.position();
        snap.current = target.current_thread();
        const TargetDescription& description = target.description();
        for (const ThreadInfo& thread : target.threads()) {
            auto key = std::pair{thread.id.pid, thread.id.lwp};
            std::uint64_t sp = 0;
            for (const RegisterInfo& reg : description.registers) {
                auto bytes = target.read_register(thread.id, reg);
                snap.registers[key].push_back(bytes);
                if (bytes &&
                    (std::string_view(reg.name) == "rsp" || std::string_view(reg.name) == "esp" ||
                     std::string_view(reg.name) == "sp"))
                    std::memcpy(&sp, bytes->data(), bytes->size());
            }
            std::string stack;
            target.read_memory(thread.id.pid, sp, 256, stack);
            snap.stacks[key] = stack;
        }
        return snap;
    }

    std::uint64_t minit_address() {
        std::string error;
        auto spec = parse_signal_sweep("SIGUSR1@_ZN2rt5minitEv", error);
        EXPECT_TRUE(spec) << error;
        auto region = kernel::resolve_region(image_, *spec, error);
        EXPECT_TRUE(region) << error;
        return region ? region->begin : 0;
    }

    fs::path path_;
    kernel::ElfImage image_;
    int null_fd_ = -1;
};

TEST_P(KernelTargetTest, GoingBackByReplayGivesWhatGoingForwardGave) {
    auto target = boot();
    std::string error;
    // The run's length first: it ends before ~0.
    ASSERT_FALSE(target->go_to(~std::uint64_t{0}, error));
    std::uint64_t total = target->position();
    ASSERT_GT(total, 1000u);
    target = boot();
    std::vector<std::uint64_t> points = {total / 3, total / 3 + 1, (2 * total) / 3};
    std::vector<Snapshot> forward;
    for (std::uint64_t point : points) {
        ASSERT_TRUE(target->go_to(point, error)) << error;
        forward.push_back(snapshot(*target));
        EXPECT_EQ(forward.back().position, point);
    }
    EXPECT_GT(forward.back().registers.size(), 1u) << "the run has several threads by then";
    // Backwards (a replay from the start) and forwards again.
    for (int i : {1, 0, 2, 0}) {
        ASSERT_TRUE(target->go_to(points[static_cast<std::size_t>(i)], error)) << error;
        EXPECT_TRUE(snapshot(*target) == forward[static_cast<std::size_t>(i)])
            << "at " << points[static_cast<std::size_t>(i)];
    }
}

TEST_P(KernelTargetTest, BreakpointsAreMetBackwardsWhereTheyWereMetForwards) {
    auto target = boot();
    std::uint64_t minit = minit_address();
    ASSERT_TRUE(target->insert_point(PointKind::software, minit, 4));
    // m-procid signals its Ms (tgkill): those go through without a stop,
    // as gdb's QPassSignals asks.
    std::vector<int> every_signal;
    for (int number = 1; number < 34; ++number)
        every_signal.push_back(number);
    target->pass_signals(every_signal);
    std::vector<Snapshot> hits;
    Resume resume;
    for (int i = 0; i < 3; ++i) {
        StopEvent stop = target->resume(resume);
        ASSERT_EQ(stop.kind, StopEvent::Kind::trap) << "hit " << i;
        hits.push_back(snapshot(*target));
        EXPECT_EQ(stop.thread, hits.back().current);
    }
    // Each M runs minit on its own thread.
    EXPECT_NE(hits[0].current, hits[2].current);
    resume.backwards = true;
    for (int i = 1; i >= 0; --i) {
        StopEvent stop = target->resume(resume);
        ASSERT_EQ(stop.kind, StopEvent::Kind::trap);
        EXPECT_TRUE(snapshot(*target) == hits[static_cast<std::size_t>(i)]) << "hit " << i;
    }
    StopEvent begin = target->resume(resume);
    EXPECT_EQ(begin.kind, StopEvent::Kind::history_begin);
    EXPECT_EQ(target->position(), 0u);
}

TEST_P(KernelTargetTest, AStepBackThenForwardIsWhereTheThreadWas) {
    auto target = boot();
    std::string error;
    ASSERT_TRUE(target->go_to(5000, error)) << error;
    Snapshot here = snapshot(*target);
    Resume resume;
    resume.thread = here.current;
    resume.step = true;
    resume.backwards = true;
    StopEvent back = target->resume(resume);
    EXPECT_EQ(back.kind, StopEvent::Kind::trap);
    EXPECT_LT(target->position(), here.position);
    resume.backwards = false;
    target->resume(resume);
    EXPECT_TRUE(snapshot(*target) == here);
}

INSTANTIATE_TEST_SUITE_P(Targets, KernelTargetTest,
                         ::testing::Values("amd64-linux", "386-linux", "arm-linux", "amd64-netbsd",
                                           "386-netbsd", "arm-netbsd"),
                         [](const auto& param_info) {
                             std::string name = param_info.param;
                             std::erase(name, '-');
                             return name;
                         });

} // namespace
} // namespace crossrt::debug
